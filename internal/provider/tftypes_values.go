package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setModel sets *raw to model, a pointer to a struct with tfsdk tags, in
// raw's own type (the schema's), as tfsdk's Set would, but reflecting on
// each model type once, not on every value (see scim_user_model.go for
// why). A schema attribute without field, or a field without attribute,
// is an error diagnostic that names them.
func setModel(raw *tftypes.Value, model any) (diags diag.Diagnostics) {
	defer recoverConversion(&diags)
	v, err := modelObject(raw.Type(), reflect.ValueOf(model).Elem())
	if err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("Could not build the value of %T: %v. This is a bug in the provider; please report it.", model, err))
		return diags
	}
	*raw = v
	return diags
}

// modelField is an attribute of a model struct: its tfsdk tag, the index
// of its field (through embedded structs, which tfsdk flattens too), and,
// for a pointer to a struct (an object or null) or a slice of structs (a
// list or null), the struct's type. Any other field is an attr.Value.
type modelField struct {
	name  string
	index []int
	elem  reflect.Type
}

// modelFieldsOf holds the fields of each model type that has been walked.
var modelFieldsOf sync.Map

// modelFields returns the fields of the model struct type t.
func modelFields(t reflect.Type) ([]modelField, error) {
	if fields, ok := modelFieldsOf.Load(t); ok {
		if fields, ok := fields.([]modelField); ok {
			return fields, nil
		}
	}
	fields, err := appendModelFields(nil, t, nil)
	if err == nil {
		modelFieldsOf.Store(t, fields)
	}
	return fields, err
}

// appendModelFields appends the fields of t, at index in the model.
func appendModelFields(fields []modelField, t reflect.Type, index []int) ([]modelField, error) {
	var err error
	for i := range t.NumField() {
		f := t.Field(i)
		at := append(slices.Clip(index), i)
		tag, tagged := f.Tag.Lookup("tfsdk")
		k := f.Type.Kind()
		switch {
		case tag == "-" || !f.IsExported() && !f.Anonymous:
		case f.Anonymous && !tagged && k == reflect.Struct:
			fields, err = appendModelFields(fields, f.Type, at)
		case !tagged:
			err = fmt.Errorf("%s.%s has no tfsdk tag", t, f.Name)
		case reflect.PointerTo(f.Type).Implements(reflect.TypeFor[attr.Value]()):
			fields = append(fields, modelField{name: tag, index: at})
		case (k == reflect.Pointer || k == reflect.Slice) && f.Type.Elem().Kind() == reflect.Struct:
			fields = append(fields, modelField{name: tag, index: at, elem: f.Type.Elem()})
		default:
			err = fmt.Errorf("%s.%s: a %s is not an attr.Value, a pointer to a struct or a slice of structs", t, f.Name, f.Type)
		}
		if err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// modelObject returns v, a model struct, as a value of typ, an object type.
func modelObject(typ tftypes.Type, v reflect.Value) (tftypes.Value, error) {
	objType, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the schema's type is %s, not an object", typ)
	}
	fields, err := modelFields(v.Type())
	if err != nil {
		return tftypes.Value{}, err
	}
	attrs := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		if attrs[f.name], err = f.value(objType.AttributeTypes[f.name], v.FieldByIndex(f.index)); err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return checkedObject(objType, attrs)
}

// value returns v, the field's value in a model, as a value of typ; typ
// is nil when the schema has no such attribute, which checkedObject names.
func (f modelField) value(typ tftypes.Type, v reflect.Value) (tftypes.Value, error) {
	switch {
	case f.elem == nil:
		return scalarValue(v.Addr().Interface())
	case typ == nil:
		return tftypes.Value{}, nil
	case v.IsNil():
		return tftypes.NewValue(typ, nil), nil
	case v.Kind() == reflect.Pointer:
		return modelObject(typ, v.Elem())
	}
	listType, ok := typ.(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the schema's type is %s, not a list", typ)
	}
	elems := make([]tftypes.Value, v.Len())
	for i := range elems {
		var err error
		if elems[i], err = modelObject(listType.ElementType, v.Index(i)); err != nil {
			return tftypes.Value{}, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return tftypes.NewValue(typ, elems), nil
}

// scalarValue returns av, a pointer to an attr.Value field, as a Terraform
// value. Strings and bools, every scalar of a user, are built directly:
// their ToTerraformValue checks each value first, which made building
// 10,000 users 1.15 to 1.3 times as slow as this (BenchmarkUsersState,
// BenchmarkUserResource). This provider's value types use no context.
func scalarValue(av any) (tftypes.Value, error) {
	var null, unknown bool
	var typ tftypes.Type
	var v any
	switch av := av.(type) {
	case basetypes.StringValuable:
		s, _ := av.ToStringValue(context.Background())
		null, unknown, typ, v = s.IsNull(), s.IsUnknown(), tftypes.String, s.ValueString()
	case basetypes.BoolValuable:
		b, _ := av.ToBoolValue(context.Background())
		null, unknown, typ, v = b.IsNull(), b.IsUnknown(), tftypes.Bool, b.ValueBool()
	case attr.Value:
		return av.ToTerraformValue(context.Background())
	default: // appendModelFields checked it
		return tftypes.Value{}, fmt.Errorf("a %T is not an attr.Value", av)
	}
	switch {
	case null:
		v = nil
	case unknown:
		v = tftypes.UnknownValue
	}
	return tftypes.NewValue(typ, v), nil
}

// checkedObject returns the object of attrs in type t. An attribute of t
// without value in attrs, or a value in attrs that t has no attribute for,
// is an error that names them, where tftypes.NewValue would panic.
func checkedObject(t tftypes.Object, attrs map[string]tftypes.Value) (tftypes.Value, error) {
	var missing, extra []string
	for k := range t.AttributeTypes {
		if _, ok := attrs[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range attrs {
		if _, ok := t.AttributeTypes[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		slices.Sort(missing)
		slices.Sort(extra)
		var why []string
		if len(missing) > 0 {
			why = append(why, "no value for the schema's "+strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			why = append(why, "a value for "+strings.Join(extra, ", ")+", which the schema does not have")
		}
		return tftypes.Value{}, fmt.Errorf("%s", strings.Join(why, "; "))
	}
	return tftypes.NewValue(t, attrs), nil
}

// recoverConversion turns a panic of tftypes.NewValue, its way of reporting
// a value that does not fit its type (a provider bug), into an error
// diagnostic. Defer it in functions that build a state.
func recoverConversion(diags *diag.Diagnostics) {
	if r := recover(); r != nil {
		diags.AddError("Value Conversion Error",
			fmt.Sprintf("Could not build the state: %v. This is a bug in the provider; please report it.", r))
	}
}
