// Command providerschema prints the provider's schemas as `terraform
// providers schema -json` does, without Terraform: the provider runs in
// this process and its protocol 6 schemas are converted to Terraform's JSON
// format. `make docs` hands the result to tfplugindocs (--providers-schema),
// so that the generated docs do not depend on the Terraform on PATH:
// Terraform 1.11 does not report list resources (1.14) or resource
// identities (1.12), and its output would drop their pages and sections.
//
// Usage: go run ./internal/tools/providerschema > schema.json
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// providerAddress is the key tfplugindocs looks the schema up by.
const providerAddress = "registry.terraform.io/hashicorp/secureaccess"

func main() {
	out, err := providerSchemasJSON(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
	if _, err := os.Stdout.Write(append(out, '\n')); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
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
	ps := providerSchemaJSON{
		Provider:                schemaOf(schemas.Provider),
		ResourceSchemas:         schemasOf(schemas.ResourceSchemas),
		DataSourceSchemas:       schemasOf(schemas.DataSourceSchemas),
		EphemeralResourceSchema: schemasOf(schemas.EphemeralResourceSchemas),
		ListResourceSchemas:     schemasOf(schemas.ListResourceSchemas),
		ResourceIdentitySchemas: map[string]identitySchemaJSON{},
	}
	for name, s := range identities.IdentitySchemas {
		is := identitySchemaJSON{Version: s.Version, Attributes: map[string]identityAttributeJSON{}}
		for _, a := range s.IdentityAttributes {
			typ, err := a.Type.MarshalJSON()
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

func schemasOf(in map[string]*tfprotov6.Schema) map[string]*schemaJSON {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]*schemaJSON, len(in))
	for name, s := range in {
		out[name] = schemaOf(s)
	}
	return out
}

func schemaOf(s *tfprotov6.Schema) *schemaJSON {
	if s == nil {
		return nil
	}
	return &schemaJSON{Version: s.Version, Block: blockOf(s.Block)}
}

// descriptionKind is Terraform's name of a description's kind.
func descriptionKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func blockOf(b *tfprotov6.SchemaBlock) *blockJSON {
	if b == nil {
		return &blockJSON{}
	}
	out := &blockJSON{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = attributesOf(b.Attributes)
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockTypeJSON{}
		for _, nb := range b.BlockTypes {
			out.BlockTypes[nb.TypeName] = &blockTypeJSON{
				NestingMode: blockNestingModes[nb.Nesting],
				Block:       blockOf(nb.Block),
				MinItems:    nb.MinItems,
				MaxItems:    nb.MaxItems,
			}
		}
	}
	return out
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

func attributesOf(attrs []*tfprotov6.SchemaAttribute) map[string]*attributeJSON {
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
			aj.NestedType = &nestedTypeJSON{
				Attributes:  attributesOf(a.NestedType.Attributes),
				NestingMode: objectNestingModes[a.NestedType.Nesting],
			}
		} else if a.Type != nil {
			aj.Type, _ = a.Type.MarshalJSON() // never fails for a schema's type
		}
		out[a.Name] = aj
	}
	return out
}
