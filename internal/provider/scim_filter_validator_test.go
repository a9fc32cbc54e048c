package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// validSCIMFilters are filters RFC 7644 allows, which the validator must
// never reject: every example of section 3.4.2.2, operators in any case,
// every kind of value, escapes, non-ASCII text, the provider's own docs,
// and surrounding whitespace (trimmed before parsing and sending).
var validSCIMFilters = []string{
	// RFC 7644 section 3.4.2.2.
	`userName eq "bjensen"`,
	`name.familyName co "O'Malley"`,
	`userName sw "J"`,
	`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`,
	`title pr`,
	`meta.lastModified gt "2011-05-13T04:42:34Z"`,
	`meta.lastModified ge "2011-05-13T04:42:34Z"`,
	`meta.lastModified lt "2011-05-13T04:42:34Z"`,
	`meta.lastModified le "2011-05-13T04:42:34Z"`,
	`title pr and userType eq "Employee"`,
	`title pr or userType eq "Intern"`,
	`schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`,
	`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
	`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
	`userType eq "Employee" and (emails.type eq "work")`,
	`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
	`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
	// The other operators, and operators in capitals or mixed case.
	`userName ew "@example.com"`,
	`userName ne "bjensen"`,
	`userName EQ "bjensen"`,
	`userName Eq "bjensen" AND title PR`,
	`title pr Or userType eq "Intern"`,
	`NOT (userName eq "bjensen")`,
	// Values without quotes: booleans, null, numbers.
	`active eq true`,
	`active eq false`,
	`active EQ TRUE`,
	`externalId eq null`,
	`externalId ne null`,
	`meta.version eq 42`,
	`x gt 1.5`,
	`x lt -1`,
	// Escapes and non-ASCII values.
	`userName eq "a\"b"`,
	`displayName eq "back\\slash"`,
	`displayName eq "Zoë Müller"`,
	`displayName eq "日本語"`,
	`displayName eq "and or not eq ( ) [ ] = ' &&"`,
	// Groups and members.
	`members[value eq "2819c223-7f76-453a-919d-413861904646"]`,
	`members.value eq "2819c223-7f76-453a-919d-413861904646"`,
	`externalId eq "00g1abcd"`,
	// The provider's docs.
	`userName eq "jane.doe@example.com"`,
	`displayName eq "OKTA - Secure Access Users"`,
	`externalId eq "00u1abcd"`,
	// Surrounding whitespace, as a heredoc leaves it.
	` userName eq "bjensen"`,
	"userName eq \"bjensen\"\n",
	"\t userName eq \"bjensen\" \r\n",
	`userName  eq  "bjensen"`,
}

func validateSCIMFilter(v types.String) validator.StringResponse {
	var resp validator.StringResponse
	scimFilter(`userName eq "jane.doe@example.com"`).ValidateString(
		context.Background(), validator.StringRequest{Path: path.Root("filter"), ConfigValue: v}, &resp)
	return resp
}

func TestSCIMFilterValidator(t *testing.T) {
	t.Parallel()
	for _, f := range validSCIMFilters {
		t.Run("valid "+f, func(t *testing.T) {
			if resp := validateSCIMFilter(types.StringValue(f)); resp.Diagnostics.HasError() {
				t.Errorf("rejected %q: %v", f, resp.Diagnostics)
			}
		})
	}
	for name, v := range map[string]types.String{"null": types.StringNull(), "unknown": types.StringUnknown()} {
		t.Run(name, func(t *testing.T) {
			if resp := validateSCIMFilter(v); len(resp.Diagnostics) != 0 {
				t.Errorf("diagnostics for %s: %v", name, resp.Diagnostics)
			}
		})
	}

	// Each malformed filter: one error on the attribute, which quotes the
	// filter and names the RFC and the expected shape, with the hints.
	for _, tc := range []struct {
		filter string
		hints  []string // each in the detail
	}{
		{`userName eq 'x'`, []string{"string values take double quotes"}},
		{`userName eq x`, []string{"string values take double quotes: the value x has none"}},
		{`meta.lastModified gt 2011-05-13T04:42:34Z`, []string{"the value 2011-05-13T04:42:34Z has none"}},
		{`userName = "x"`, []string{"operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr"}},
		{`userName == "x"`, []string{"operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr"}},
		{`userName != "x"`, []string{"operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr"}},
		{`userName eq "x" && title pr`, []string{"and, or and not are words, not symbols such as && or ||"}},
		{`userName eq "x`, []string{"a string is not closed"}},
		{`userName eq "x\"`, []string{"a string is not closed"}},
		{`userName eq "x" and`, []string{`"and" at the end has nothing after it`}},
		{`userName eq "x" OR`, []string{`"OR" at the end has nothing after it`}},
		{`or userName eq "x"`, []string{`"or" at the start has nothing before it`}},
		{`userName sw`, []string{`the operator sw at the end needs a value after it, such as userName sw "x"`}},
		{`userName zz "j"`, []string{"zz is not a SCIM operator"}},
		{`(userName eq "x"`, []string{"the parentheses do not match: 1 opened, 0 closed"}},
		{`emails[type eq "work"`, []string{"the brackets do not match: 1 opened, 0 closed"}},
		{"userName\teq \"x\"", []string{"tabs and line breaks are not allowed", `"userName\teq \"x\""`}},
		{`userName`, nil},
		{`   `, []string{"The filter is empty. Leave filter unset"}},
		{``, []string{"The filter is empty. Leave filter unset"}},
	} {
		t.Run("invalid "+tc.filter, func(t *testing.T) {
			resp := validateSCIMFilter(types.StringValue(tc.filter))
			if len(resp.Diagnostics) != 1 || !resp.Diagnostics.HasError() {
				t.Fatalf("got %v, want one error", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Summary() != "Invalid SCIM Filter" {
				t.Errorf("summary %q", d.Summary())
			}
			if p, ok := d.(interface{ Path() path.Path }); !ok || !p.Path().Equal(path.Root("filter")) {
				t.Errorf("the error is not at filter: %v", d)
			}
			want := tc.hints
			if strings.TrimSpace(tc.filter) != "" {
				want = append(want,
					"is not a SCIM filter (RFC 7644, section 3.4.2.2)",
					"ATTRIBUTE OPERATOR VALUE, such as\n\n  userName eq \"jane.doe@example.com\"\n")
				if !strings.ContainsAny(tc.filter, "\t\n") {
					want = append(want, "\n\n  "+tc.filter+"\n\n")
				}
			}
			for _, w := range want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("the detail does not say %q:\n%s", w, d.Detail())
				}
			}
			if strings.Contains(d.Detail(), "parse conflict") {
				t.Errorf("the detail has the parser's text:\n%s", d.Detail())
			}
		})
	}
}

// TestSCIMFilterHints_onlyTheMistake: each common mistake gets its own
// hint and no other.
func TestSCIMFilterHints_onlyTheMistake(t *testing.T) {
	t.Parallel()
	for f, want := range map[string]string{
		`userName eq 'x'`:     "string values take double quotes, not single quotes",
		`userName = "x"`:      "operators are words",
		`userName eq "x`:      "a string is not closed",
		`userName eq "x" and`: `"and" at the end has nothing after it`,
	} {
		hints := scimFilterHints(f, `userName eq "jane.doe@example.com"`)
		if len(hints) != 1 || !strings.Contains(hints[0], want) {
			t.Errorf("hints for %q = %q, want one saying %q", f, hints, want)
		}
	}
}

// TestSCIMFilterOf: what is sent is the value without surrounding
// whitespace, the filter the validator parsed.
func TestSCIMFilterOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"userName eq \"x\"":        `userName eq "x"`,
		" \tuserName eq \"x\" \n":  `userName eq "x"`,
		"displayName eq \" a b \"": `displayName eq " a b "`,
		"userName  eq  \"x\"":      `userName  eq  "x"`,
	} {
		if got := scimFilterOf(types.StringValue(in)); string(got) != want {
			t.Errorf("scimFilterOf(%q) = %q, want %q", in, got, want)
		}
	}
	if got := scimFilterOf(types.StringNull()); got != "" {
		t.Errorf("scimFilterOf(null) = %q, want none", got)
	}
}

// scimFilterTypes are the data sources and list resources whose filter
// is a SCIM filter.
var scimFilterTypes = []struct {
	typeName string
	list     bool
}{
	{"secureaccess_scim_users", false},
	{"secureaccess_scim_groups", false},
	{"secureaccess_scim_user", true},
	{"secureaccess_scim_group", true},
}

// TestSCIMFilter_protocolValidate: each data source and list resource
// validates its filter as Terraform asks before any read or query
// (ValidateDataResourceConfig, ValidateListResourceConfig): a malformed
// filter is one "Invalid SCIM Filter" error at filter with the hint, valid,
// unknown and null filters pass, and no request reaches the service.
func TestSCIMFilter_protocolValidate(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	provider := newProtocolProvider(t, m)
	m.resetStats()
	for _, rt := range scimFilterTypes {
		for _, tc := range []struct {
			filter   tftypes.Value
			wantHint string // "" for no diagnostic
		}{
			{tftypes.NewValue(tftypes.String, nil), ""},
			{tftypes.NewValue(tftypes.String, tftypes.UnknownValue), ""},
			{tfString(`userName eq "jane.doe@example.com"`), ""},
			{tfString("\n  displayName eq \"OKTA - Secure Access Users\"  \n"), ""},
			{tfString(`userName eq 'x'`), "string values take double quotes"},
			{tfString(`displayName = "x"`), "operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr"},
			{tfString(`userName eq "x`), "a string is not closed"},
			{tfString(`displayName eq "x" and`), `"and" at the end has nothing after it`},
			{tfString(""), "The filter is empty"},
		} {
			t.Run(fmt.Sprintf("%s %s", rt.typeName, tc.filter), func(t *testing.T) {
				p := provider.on(t)
				config := map[string]tftypes.Value{"filter": tc.filter}
				var diags []*tfprotov6.Diagnostic
				if rt.list {
					diags = p.validateList(rt.typeName, config)
				} else {
					typ := valueType(t, p.schemas.DataSourceSchemas, rt.typeName, "GetProviderSchema has no data source")
					resp, err := p.srv.ValidateDataResourceConfig(t.Context(), &tfprotov6.ValidateDataResourceConfigRequest{
						TypeName: rt.typeName,
						Config:   dynamicValue(t, typ, objectValue(t, typ, config)),
					})
					if err != nil {
						t.Fatal(err)
					}
					diags = resp.Diagnostics
				}
				if tc.wantHint == "" {
					if len(diags) > 0 {
						t.Fatalf("diagnostics: %s", formatDiags(diags))
					}
					return
				}
				if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || diags[0].Summary != "Invalid SCIM Filter" {
					t.Fatalf("diagnostics: %s\nwant one Invalid SCIM Filter error", formatDiags(diags))
				}
				if want := tftypes.NewAttributePath().WithAttributeName("filter"); !diags[0].Attribute.Equal(want) {
					t.Errorf("the error is at %s, want %s", diags[0].Attribute, want)
				}
				if !strings.Contains(diags[0].Detail, tc.wantHint) {
					t.Errorf("the detail does not say %q:\n%s", tc.wantHint, diags[0].Detail)
				}
			})
		}
	}
	if n := m.stats().Total; n != 0 {
		t.Errorf("%d requests reached the service, want none", n)
	}
}

// TestAccSCIMFilter_invalidAtPlan: through Terraform, a malformed filter
// on either data source fails the plan with the validator's error, and
// not one request reaches the service; a filter with whitespace around it
// is sent trimmed.
func TestAccSCIMFilter_invalidAtPlan(t *testing.T) {
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	seedUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(true)})
	step := func(typeName, filter, hint string) resource.TestStep {
		return resource.TestStep{
			Config:      m.providerConfig() + fmt.Sprintf("data %q \"bad\" {\n  filter = %q\n}\n", typeName, filter),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + phrase("Invalid SCIM Filter") + `.*` + phrase(hint)),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("secureaccess_scim_users", `userName eq 'jane.doe@example.com'`, "string values take double quotes"),
			step("secureaccess_scim_users", `userName = "jane.doe@example.com"`, "operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr"),
			step("secureaccess_scim_groups", `displayName eq "Engineering`, "a string is not closed"),
			step("secureaccess_scim_groups", `displayName eq "Engineering" or`, `"or" at the end has nothing after it`),
			{
				// Nothing reached the service until now.
				PreConfig: func() {
					if n := m.stats().Total; n != 0 {
						t.Errorf("%d requests reached the service for malformed filters, want none", n)
					}
				},
				Config: m.providerConfig() + `
data "secureaccess_scim_users" "jane" {
  filter = <<-EOT
    userName eq "jane.doe@example.com"
  EOT
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.jane", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				},
				Check: log.expect("GET /Users?", func() []string {
					return []string{"GET /Users?count=" + strconv.Itoa(scim.DefaultPageSize) + "&filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1"}
				}),
			},
		},
	})
}
