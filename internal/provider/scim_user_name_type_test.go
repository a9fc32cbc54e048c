package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestUserNameSemanticEquals(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		a, b string
		want bool
	}{
		"identical":           {a: "jane.doe@example.com", b: "jane.doe@example.com", want: true},
		"letter case only":    {a: "Jane.Doe@Example.com", b: "jane.doe@EXAMPLE.COM", want: true},
		"non-ASCII case only": {a: "ÉLODIE@example.com", b: "élodie@example.com", want: true},
		"different name":      {a: "jane.doe@example.com", b: "john.doe@example.com", want: false},
		"prefix":              {a: "jane", b: "jane.doe", want: false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, diags := newUserNameValue(tt.a).StringSemanticEquals(t.Context(), newUserNameValue(tt.b))
			if diags.HasError() {
				t.Fatalf("StringSemanticEquals: %v", diags)
			}
			if got != tt.want {
				t.Errorf("StringSemanticEquals(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestUserNameSemanticEqualsRejectsOtherTypes(t *testing.T) {
	t.Parallel()
	_, diags := newUserNameValue("jane").StringSemanticEquals(t.Context(), types.StringValue("jane"))
	if !diags.HasError() {
		t.Error("comparing with a plain string value: want an error diagnostic, got none")
	}
}

func TestUserNameTypeValueFromTerraform(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   tftypes.Value
		want userNameValue
	}{
		"known":   {in: tftypes.NewValue(tftypes.String, "Jane"), want: newUserNameValue("Jane")},
		"null":    {in: tftypes.NewValue(tftypes.String, nil), want: userNameValue{StringValue: types.StringNull()}},
		"unknown": {in: tftypes.NewValue(tftypes.String, tftypes.UnknownValue), want: userNameValue{StringValue: types.StringUnknown()}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := userNameType{}.ValueFromTerraform(t.Context(), tt.in)
			if err != nil {
				t.Fatalf("ValueFromTerraform: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ValueFromTerraform mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
