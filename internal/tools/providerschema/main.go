// Command providerschema prints the provider's schemas as `terraform
// providers schema -json` does, without Terraform: the provider runs in
// this process and its protocol 6 schemas are converted to Terraform's JSON
// format. `make docs` hands the result to tfplugindocs (--providers-schema),
// so that the generated docs do not depend on the Terraform on PATH:
// Terraform 1.11 does not report list resources (1.14) or resource
// identities (1.12), and its output would drop their pages and sections.
//
// Usage: go run ./internal/tools/providerschema [-o schema.json]
// (stdout without -o; main.go's go:generate directive writes
// .cache/providers-schema.json).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// providerAddress is the key tfplugindocs looks the schema up by.
const providerAddress = "registry.terraform.io/hashicorp/secureaccess"

func main() {
	outPath := flag.String("o", "", "write the schema to `file` (its directory is created) instead of stdout")
	flag.Parse()
	if err := run(*outPath); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

// run writes the schema to path, or to stdout when path is empty. A file
// is replaced whole or not at all.
func run(path string) error {
	out, err := providerSchemasJSON(context.Background())
	if err != nil {
		return err
	}
	out = append(out, '\n')
	if path == "" {
		_, err := os.Stdout.Write(out)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // G301: a build cache directory.
		return err
	}
	if err := os.WriteFile(path+".tmp", out, 0o644); err != nil { //nolint:gosec // G306: the schema is public.
		return err
	}
	return os.Rename(path+".tmp", path)
}

// providerSchemasJSON returns the schemas of the provider in the format of
// `terraform providers schema -json`.
func providerSchemasJSON(ctx context.Context) ([]byte, error) {
	srv, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, err
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(schemas.Diagnostics); err != nil {
		return nil, err
	}
	identities, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(identities.Diagnostics); err != nil {
		return nil, err
	}
	ps := providerSchemaJSON{ResourceIdentitySchemas: map[string]identitySchemaJSON{}}
	if ps.Provider, err = schemaOf(schemas.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	for _, kind := range []struct {
		to   *map[string]*schemaJSON
		from map[string]*tfprotov6.Schema
	}{
		{&ps.ResourceSchemas, schemas.ResourceSchemas},
		{&ps.DataSourceSchemas, schemas.DataSourceSchemas},
		{&ps.EphemeralResourceSchema, schemas.EphemeralResourceSchemas},
		{&ps.ListResourceSchemas, schemas.ListResourceSchemas},
	} {
		if *kind.to, err = schemasOf(kind.from); err != nil {
			return nil, err
		}
	}
	for name, s := range identities.IdentitySchemas {
		is := identitySchemaJSON{Version: s.Version, Attributes: map[string]identityAttributeJSON{}}
		for _, a := range s.IdentityAttributes {
			typ, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("identity of %s, %s: %w", name, a.Name, err)
			}
			is.Attributes[a.Name] = identityAttributeJSON{
				Type: typ, Description: a.Description,
				RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport,
			}
		}
		ps.ResourceIdentitySchemas[name] = is
	}
	if len(ps.ResourceIdentitySchemas) == 0 {
		ps.ResourceIdentitySchemas = nil
	}
	return json.MarshalIndent(schemasJSON{
		FormatVersion:   "1.0",
		ProviderSchemas: map[string]providerSchemaJSON{providerAddress: ps},
	}, "", "  ")
}

// diagnosticsError is the first error diagnostic, if any.
func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

// The JSON format of `terraform providers schema -json` (format 1.0).

type schemasJSON struct {
	FormatVersion   string                        `json:"format_version"`
	ProviderSchemas map[string]providerSchemaJSON `json:"provider_schemas"`
}

type providerSchemaJSON struct {
	Provider                *schemaJSON                   `json:"provider,omitempty"`
	ResourceSchemas         map[string]*schemaJSON        `json:"resource_schemas,omitempty"`
	DataSourceSchemas       map[string]*schemaJSON        `json:"data_source_schemas,omitempty"`
	EphemeralResourceSchema map[string]*schemaJSON        `json:"ephemeral_resource_schemas,omitempty"`
	ListResourceSchemas     map[string]*schemaJSON        `json:"list_resource_schemas,omitempty"`
	ResourceIdentitySchemas map[string]identitySchemaJSON `json:"resource_identity_schemas,omitempty"`
}

type schemaJSON struct {
	Version int64      `json:"version"`
	Block   *blockJSON `json:"block"`
}

type blockJSON struct {
	Attributes      map[string]*attributeJSON `json:"attributes,omitempty"`
	BlockTypes      map[string]*blockTypeJSON `json:"block_types,omitempty"`
	Description     string                    `json:"description,omitempty"`
	DescriptionKind string                    `json:"description_kind,omitempty"`
	Deprecated      bool                      `json:"deprecated,omitempty"`
}

type attributeJSON struct {
	Type            json.RawMessage `json:"type,omitempty"`
	NestedType      *nestedTypeJSON `json:"nested_type,omitempty"`
	Description     string          `json:"description,omitempty"`
	DescriptionKind string          `json:"description_kind,omitempty"`
	Deprecated      bool            `json:"deprecated,omitempty"`
	Required        bool            `json:"required,omitempty"`
	Optional        bool            `json:"optional,omitempty"`
	Computed        bool            `json:"computed,omitempty"`
	Sensitive       bool            `json:"sensitive,omitempty"`
	WriteOnly       bool            `json:"write_only,omitempty"`
}

type nestedTypeJSON struct {
	Attributes  map[string]*attributeJSON `json:"attributes"`
	NestingMode string                    `json:"nesting_mode"`
}

type blockTypeJSON struct {
	NestingMode string     `json:"nesting_mode"`
	Block       *blockJSON `json:"block"`
	MinItems    int64      `json:"min_items,omitempty"`
	MaxItems    int64      `json:"max_items,omitempty"`
}

type identitySchemaJSON struct {
	Version    int64                            `json:"version"`
	Attributes map[string]identityAttributeJSON `json:"attributes"`
}

type identityAttributeJSON struct {
	Type              json.RawMessage `json:"type"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

func schemasOf(in map[string]*tfprotov6.Schema) (map[string]*schemaJSON, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*schemaJSON, len(in))
	for name, s := range in {
		sj, err := schemaOf(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = sj
	}
	return out, nil
}

func schemaOf(s *tfprotov6.Schema) (*schemaJSON, error) {
	if s == nil {
		return nil, nil
	}
	block, err := blockOf(s.Block)
	if err != nil {
		return nil, err
	}
	return &schemaJSON{Version: s.Version, Block: block}, nil
}

// descriptionKind is Terraform's name of a description's kind.
func descriptionKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func blockOf(b *tfprotov6.SchemaBlock) (*blockJSON, error) {
	if b == nil {
		return &blockJSON{}, nil
	}
	out := &blockJSON{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		attrs, err := attributesOf(b.Attributes)
		if err != nil {
			return nil, err
		}
		out.Attributes = attrs
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockTypeJSON{}
		for _, nb := range b.BlockTypes {
			block, err := blockOf(nb.Block)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", nb.TypeName, err)
			}
			out.BlockTypes[nb.TypeName] = &blockTypeJSON{
				NestingMode: blockNestingModes[nb.Nesting],
				Block:       block,
				MinItems:    nb.MinItems,
				MaxItems:    nb.MaxItems,
			}
		}
	}
	return out, nil
}

var blockNestingModes = map[tfprotov6.SchemaNestedBlockNestingMode]string{
	tfprotov6.SchemaNestedBlockNestingModeSingle: "single",
	tfprotov6.SchemaNestedBlockNestingModeList:   "list",
	tfprotov6.SchemaNestedBlockNestingModeSet:    "set",
	tfprotov6.SchemaNestedBlockNestingModeMap:    "map",
	tfprotov6.SchemaNestedBlockNestingModeGroup:  "group",
}

var objectNestingModes = map[tfprotov6.SchemaObjectNestingMode]string{
	tfprotov6.SchemaObjectNestingModeSingle: "single",
	tfprotov6.SchemaObjectNestingModeList:   "list",
	tfprotov6.SchemaObjectNestingModeSet:    "set",
	tfprotov6.SchemaObjectNestingModeMap:    "map",
}

func attributesOf(attrs []*tfprotov6.SchemaAttribute) (map[string]*attributeJSON, error) {
	out := make(map[string]*attributeJSON, len(attrs))
	for _, a := range attrs {
		aj := &attributeJSON{
			Description:     a.Description,
			DescriptionKind: descriptionKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		if a.NestedType != nil {
			nested, err := attributesOf(a.NestedType.Attributes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
			aj.NestedType = &nestedTypeJSON{Attributes: nested, NestingMode: objectNestingModes[a.NestedType.Nesting]}
		} else if a.Type != nil {
			typ, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
			aj.Type = typ
		}
		out[a.Name] = aj
	}
	return out, nil
}

// typeJSON is a type in Terraform's JSON notation (cty's): "string",
// ["list","string"], ["object",{"a":"bool"}] and so on.
func typeJSON(t tftypes.Type) (json.RawMessage, error) {
	v, err := typeValue(t)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func typeValue(t tftypes.Type) (any, error) {
	switch {
	case t.Equal(tftypes.String):
		return "string", nil
	case t.Equal(tftypes.Number):
		return "number", nil
	case t.Equal(tftypes.Bool):
		return "bool", nil
	case t.Equal(tftypes.DynamicPseudoType):
		return "dynamic", nil
	}
	switch t := t.(type) {
	case tftypes.List:
		return collectionValue("list", t.ElementType)
	case tftypes.Set:
		return collectionValue("set", t.ElementType)
	case tftypes.Map:
		return collectionValue("map", t.ElementType)
	case tftypes.Object:
		attrs := make(map[string]any, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			v, err := typeValue(at)
			if err != nil {
				return nil, err
			}
			attrs[name] = v
		}
		if len(t.OptionalAttributes) == 0 {
			return []any{"object", attrs}, nil
		}
		optional := make([]string, 0, len(t.OptionalAttributes))
		for name := range t.OptionalAttributes {
			optional = append(optional, name)
		}
		slices.Sort(optional)
		return []any{"object", attrs, optional}, nil
	case tftypes.Tuple:
		elems := make([]any, len(t.ElementTypes))
		for i, et := range t.ElementTypes {
			v, err := typeValue(et)
			if err != nil {
				return nil, err
			}
			elems[i] = v
		}
		return []any{"tuple", elems}, nil
	}
	return nil, fmt.Errorf("type %s has no JSON notation here", t)
}

func collectionValue(kind string, elem tftypes.Type) (any, error) {
	v, err := typeValue(elem)
	if err != nil {
		return nil, err
	}
	return []any{kind, v}, nil
}
