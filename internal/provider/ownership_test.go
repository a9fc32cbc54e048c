package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// The rule of ownership.go, function by function. The acceptance tests
// TestAccSCIMStoredDifferently, TestAccSCIMMembersHidden and
// TestAccSCIMUserResource_leftToService run it against the mock.

// janeValues is a user as a configuration sets it: user_name, a name
// with its given name, one work email; nothing else.
func janeValues() userValues {
	var v userValues
	v.ID = types.StringNull()
	v.UserName = newUserNameValue("Jane.Doe@example.com")
	v.DisplayName, v.ExternalID, v.NativeObjectID, v.AuthName = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	v.Active = types.BoolValue(true)
	v.Name = &scimUserNameModel{GivenName: types.StringValue("Jane"), FamilyName: types.StringNull(), Formatted: types.StringNull()}
	v.Emails = []scimUserEmailModel{{Value: types.StringValue("Jane.Doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolNull()}}
	v.OnDestroy, v.AdoptExisting = types.StringValue(onDestroyDelete), types.BoolValue(false)
	return v
}

// janeAsStored is janeValues as a service that derives and lower-cases
// holds it, with the ID u1.
func janeAsStored() userValues {
	v := janeValues()
	v.ID = types.StringValue("u1")
	v.UserName = newUserNameValue("jane.doe@example.com")
	v.DisplayName = types.StringValue("Jane")
	v.Name = &scimUserNameModel{GivenName: types.StringValue("Jane"), FamilyName: types.StringNull(), Formatted: types.StringValue("Jane")}
	v.Emails = []scimUserEmailModel{{Value: types.StringValue("jane.doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolValue(true)}}
	return v
}

func TestUserOwned(t *testing.T) {
	t.Parallel()
	c := janeValues()
	c.ExternalID = types.StringUnknown() // set from a value not known yet: set all the same
	c.Emails = append(c.Emails, scimUserEmailModel{Value: types.StringValue("jane@home.example"), Type: types.StringNull(), Primary: types.BoolValue(false)})
	want := []string{"emails", `emails["jane.doe@example.com"].type`, `emails["jane@home.example"].primary`, "external_id", "name", "name.given_name"}
	if diff := cmp.Diff(want, userOwned(c).keys()); diff != "" {
		t.Errorf("userOwned (-want +got):\n%s", diff)
	}
	if got := userOwned(userValues{nameUnknown: true, emailsUnknown: true}).keys(); !cmp.Equal(got, []string{"emails", "name"}) {
		t.Errorf("userOwned of unknown name and emails = %q, want both", got)
	}
}

// planned is a plan edit as the tests compare it.
type planned struct {
	Path    string
	Value   any
	Unknown bool
}

// editsOf returns the edits as planned values.
func editsOf(e planEdits) []planned {
	var out []planned
	for _, ed := range e.edits {
		out = append(out, planned{Path: ed.path.String(), Value: ed.value, Unknown: ed.unknown})
	}
	return out
}

func TestPlanUser(t *testing.T) {
	t.Parallel()
	stored := janeAsStored()
	// plan is what the framework plans from cfg: the configured values,
	// and unknown for every unset computed attribute, as when the update
	// changes something.
	plan := func(cfg userValues) userValues {
		p := cfg
		p.ID = stored.ID
		for _, a := range userScalars {
			if f := a.field(&p.scimUserModel); f.IsNull() {
				*f = types.StringUnknown()
			}
		}
		if p.Name == nil {
			p.nameUnknown = true
		} else {
			n := *p.Name
			for _, part := range nameParts {
				if f := part.field(&n); f.IsNull() {
					*f = types.StringUnknown()
				}
			}
			p.Name = &n
		}
		if p.Emails == nil {
			p.emailsUnknown = true
		}
		p.Emails = append([]scimUserEmailModel(nil), p.Emails...)
		for i := range p.Emails {
			if p.Emails[i].Type.IsNull() {
				p.Emails[i].Type = types.StringUnknown()
			}
			if p.Emails[i].Primary.IsNull() {
				p.Emails[i].Primary = types.BoolUnknown()
			}
		}
		return p
	}
	owned := userOwned(janeValues())
	// unset is what a plan of janeValues edits first: the attributes it
	// leaves unset, as the service holds them, then more.
	unset := func(more ...planned) []planned {
		return append([]planned{
			{Path: "display_name", Value: types.StringValue("Jane")},
			{Path: "external_id", Value: types.StringNull()},
			{Path: "native_object_id", Value: types.StringNull()},
			{Path: "auth_name", Value: types.StringNull()},
			{Path: "name.family_name", Value: types.StringNull()},
		}, more...)
	}
	tests := map[string]struct {
		cfg    userValues
		before ownedSet
		want   []planned
	}{
		"what the configuration leaves unset is planned as the service holds it": {
			cfg: janeValues(), before: owned,
			want: unset(
				planned{Path: "name.formatted", Value: types.StringValue("Jane")},
				planned{Path: "emails", Value: stored.Emails}, // the same emails in another letter case
			),
		},
		"a name part that changes leaves name.formatted to the service": {
			cfg: func() userValues {
				c := janeValues()
				c.Name.GivenName = types.StringValue("Janet")
				return c
			}(),
			before: owned,
			want: unset(
				planned{Path: "name.formatted", Unknown: true},
				planned{Path: "emails", Value: stored.Emails},
			),
		},
		"attributes that left the configuration are unknown: the service clears or derives them": {
			cfg: func() userValues {
				c := janeValues()
				c.Name, c.Emails = nil, nil
				return c
			}(),
			before: ownedSet{"display_name": true, "name": true, "name.given_name": true, "emails": true},
			want: []planned{
				{Path: "display_name", Unknown: true},
				{Path: "external_id", Value: types.StringNull()},
				{Path: "native_object_id", Value: types.StringNull()},
				{Path: "auth_name", Value: types.StringNull()},
				{Path: "name", Unknown: true},
				{Path: "emails", Unknown: true},
			},
		},
		"an email's type that left the configuration, and a new email": {
			cfg: func() userValues {
				c := janeValues()
				c.Emails = []scimUserEmailModel{
					{Value: types.StringValue("jane@home.example"), Type: types.StringNull(), Primary: types.BoolNull()},
					{Value: types.StringValue("JANE.DOE@example.com"), Type: types.StringNull(), Primary: types.BoolNull()},
				}
				return c
			}(),
			before: owned,
			want: unset(
				planned{Path: "name.formatted", Value: types.StringValue("Jane")},
				planned{Path: "emails[0].type", Unknown: true},
				planned{Path: "emails[0].primary", Unknown: true},
				planned{Path: "emails[1].type", Unknown: true},
				planned{Path: "emails[1].primary", Value: types.BoolValue(true)},
			),
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := editsOf(planUser(tt.cfg, stored, plan(tt.cfg), tt.before))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("planUser (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("nothing to change plans nothing", func(t *testing.T) {
		t.Parallel()
		if got := planUser(janeValues(), stored, stored, owned); len(got.edits) != 0 {
			t.Errorf("planUser of an unchanged user = %+v, want no edit", editsOf(got))
		}
	})
}

func TestOwnedBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	stateKeys := userOwned(janeAsStored())
	var none privateState = &memPrivate{}
	got := ownedBefore(ctx, none, stateKeys).keys()
	// A state written before the rule held only what was configured, and
	// always an email's primary.
	want := []string{"display_name", "emails", `emails["jane.doe@example.com"].type`, "name", "name.formatted", "name.given_name"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ownedBefore without a record (-want +got):\n%s", diff)
	}
	recorded := &memPrivate{}
	if diags := writeOwned(ctx, recorded, ownedSet{"name.given_name": true}); diags.HasError() {
		t.Fatal(diags)
	}
	if got := ownedBefore(ctx, recorded, stateKeys).keys(); !cmp.Equal(got, []string{"name.given_name"}) {
		t.Errorf("ownedBefore with a record = %q, want the record", got)
	}
	imported := &memPrivate{}
	if diags := writeOwned(ctx, imported, ownedSet{}); diags.HasError() {
		t.Fatal(diags)
	}
	if got := ownedBefore(ctx, imported, stateKeys); len(got) != 0 {
		t.Errorf("ownedBefore of an import = %q, want nothing", got.keys())
	}
}

// memPrivate is a private state in memory.
type memPrivate struct{ m map[string][]byte }

func (p *memPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p.m[key], nil
}

func (p *memPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if p.m == nil {
		p.m = map[string][]byte{}
	}
	p.m[key] = value
	return nil
}

func TestSettleUser(t *testing.T) {
	t.Parallel()
	plan := janeValues()
	plan.DisplayName = types.StringUnknown()
	plan.NativeObjectID = types.StringValue("guid")
	plan.Name.Formatted = types.StringUnknown()
	plan.Emails = []scimUserEmailModel{
		{Value: types.StringValue("Jane.Doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolUnknown()},
		{Value: types.StringValue("jane@home.example"), Type: types.StringUnknown(), Primary: types.BoolValue(false)},
	}
	cfg := plan
	cfg.DisplayName, cfg.Name = types.StringNull(), &scimUserNameModel{GivenName: types.StringValue("Jane"), FamilyName: types.StringNull(), Formatted: types.StringNull()}
	cfg.Emails = []scimUserEmailModel{
		{Value: types.StringValue("Jane.Doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolNull()},
		{Value: types.StringValue("jane@home.example"), Type: types.StringNull(), Primary: types.BoolValue(false)},
	}
	// The service lower-cases, reorders, derives, drops the extension
	// and keeps the home address's primary otherwise than sent.
	kept := &scim.User{
		ID: "u1", UserName: "jane.doe@example.com", Active: new(true), DisplayName: new("Jane"),
		Name: &scim.Name{GivenName: new("Jane"), Formatted: new("Jane")},
		Emails: []scim.Email{
			{Value: "jane@home.example", Type: "home", Primary: true},
			{Value: "jane.doe@example.com", Type: "work"},
		},
	}
	got, diffs := settleUser(plan, kept, userOwned(cfg))
	want := plan.scimUserModel
	want.ID = types.StringValue("u1")
	want.DisplayName = types.StringValue("Jane")
	want.Name = &scimUserNameModel{GivenName: types.StringValue("Jane"), FamilyName: types.StringNull(), Formatted: types.StringValue("Jane")}
	want.Emails = []scimUserEmailModel{
		{Value: types.StringValue("Jane.Doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolValue(false)},
		{Value: types.StringValue("jane@home.example"), Type: types.StringValue("home"), Primary: types.BoolValue(false)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settleUser state (-want +got):\n%s", diff)
	}
	wantDiffs := []keptDifferently{
		{attribute: "native_object_id", sent: `"guid"`, kept: "no value"},
		{attribute: "emails[1].primary", sent: "false", kept: "true"},
	}
	if diff := cmp.Diff(wantDiffs, diffs, cmp.AllowUnexported(keptDifferently{})); diff != "" {
		t.Errorf("settleUser differences (-want +got):\n%s", diff)
	}

	// A service that keeps an email of its own and drops a configured one.
	kept.Emails = []scim.Email{{Value: "jane.doe@example.com", Type: "work"}, {Value: "j@other.example"}}
	_, diffs = settleUser(plan, kept, userOwned(cfg))
	wantDiffs = []keptDifferently{
		{attribute: "native_object_id", sent: `"guid"`, kept: "no value"},
		{attribute: "emails", sent: `"jane@home.example"`, kept: "no such address"},
		{attribute: "emails", sent: "no such address", kept: `"j@other.example"`},
	}
	if diff := cmp.Diff(wantDiffs, diffs, cmp.AllowUnexported(keptDifferently{})); diff != "" {
		t.Errorf("settleUser differences, emails (-want +got):\n%s", diff)
	}
}

func TestKeepEquivalent(t *testing.T) {
	t.Parallel()
	prior := janeValues().scimUserModel
	prior.Emails = append(prior.Emails, scimUserEmailModel{Value: types.StringValue("Jane@Home.example"), Type: types.StringNull(), Primary: types.BoolValue(false)})
	var m scimUserModel
	m.fromAPI(&scim.User{ID: "u1", UserName: "jane.doe@example.com", Active: new(true), Emails: []scim.Email{
		{Value: "new@example.com"}, {Value: "jane@home.example"}, {Value: "jane.doe@example.com", Type: "work"},
	}})
	m.keepEquivalent(prior)
	var got []string
	for _, e := range m.Emails {
		got = append(got, e.Value.ValueString())
	}
	if want := []string{"Jane.Doe@example.com", "Jane@Home.example", "new@example.com"}; !cmp.Equal(want, got) {
		t.Errorf("emails = %q, want the prior order and letter case, then the new one: %q", got, want)
	}
	if m.Emails[0].Type.ValueString() != "work" {
		t.Errorf("emails[0].type = %s, want the service's work", m.Emails[0].Type)
	}
}

func TestAddKeptDifferently(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	addKeptDifferently(&diags, `SCIM user "jane" (ID u1)`, nil)
	if len(diags) != 0 {
		t.Fatalf("no difference: %v, want no diagnostic", diags)
	}
	addKeptDifferently(&diags, `SCIM user "jane" (ID u1)`, []keptDifferently{{attribute: "native_object_id", sent: `"guid"`, kept: "no value"}})
	want := []diagSummary{{
		Severity: diag.SeverityWarning, Summary: "SCIM Service Kept Other Values",
		Detail: `The service stored the SCIM user "jane" (ID u1), but does not hold what the configuration sets:` + "\n" +
			`  - native_object_id: sent "guid"; the service kept no value` + "\n\n" +
			"Terraform records the configured values for now. The next refresh reads what the service holds, " +
			"so the next plan shows these attributes changing again, and a service that does not keep them will not keep them on the next apply either. " +
			"If the service does not store an attribute, remove it from the configuration; if it stores it in a form of its own, configure that form. " +
			`The guide "SCIM server compatibility" (What a service may store differently) lists what the provider tolerates.`,
	}}
	if diff := cmp.Diff(want, summarize(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestSCIMUserResource_createStoredUnreadable: a create the service
// stored but answered without a userName, twice, is recorded in state
// with the ID the service gave, with an error: Terraform then taints it,
// and the next apply replaces it instead of creating a second user.
func TestSCIMUserResource_createStoredUnreadable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", scim.MediaType)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = w.Write([]byte(`{"id":"u1","active":true}`))
	}))
	t.Cleanup(srv.Close)
	sresp := scimUserResourceSchema(t)
	r := &scimUserResource{data: &providerData{version: "test", scimURL: srv.URL + scimPath, scimToken: "t", maxRetries: -1}}
	model := janeValues().scimUserResourceModel
	configured := tfsdk.Plan{Schema: sresp.Schema}
	if diags := configured.Set(ctx, model); diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	plan := tfsdk.Plan{Schema: sresp.Schema, Raw: configured.Raw}
	for _, p := range []string{"id", "display_name"} {
		u, _ := unknownAt(ctx, &plan, path.Root(p))
		plan.SetAttribute(ctx, path.Root(p), u)
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan, Config: tfsdk.Config{Schema: sresp.Schema, Raw: configured.Raw}}, &resp)

	got := summarize(withoutPrivateState(resp.Diagnostics))
	if len(got) != 1 || got[0].Summary != "Error Creating SCIM User" ||
		!strings.Contains(got[0].Detail, `the service's answer has a user without "userName"`) ||
		!strings.Contains(got[0].Detail, "The service stored the user, so Terraform records it (as tainted): the next apply replaces it") {
		t.Errorf("diagnostics %+v, want one error that the user is recorded and will be replaced", got)
	}
	var id, displayName types.String
	resp.State.GetAttribute(ctx, path.Root("id"), &id)
	resp.State.GetAttribute(ctx, path.Root("display_name"), &displayName)
	if id.ValueString() != "u1" || !displayName.IsNull() {
		t.Errorf("state id = %s, display_name = %s; want the service's u1, and null for what it did not say", id, displayName)
	}
}
