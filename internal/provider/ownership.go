package provider

// What the configuration owns, and what the service may store its own way.
//
// A SCIM service does not always store what it is sent: it may derive an
// attribute the request left out (name.formatted from the name's parts, a
// displayName, the primary flag of the only email), compare and store
// values in its own letter case (userName and email addresses, which RFC
// 7643 makes case-insensitive), reorder a multi-valued attribute, or drop
// an attribute it does not keep. The provider never believes that what it
// sent is what the service holds, and never lets such a difference reach
// Terraform as "Provider produced inconsistent result". The rule, for every
// attribute of secureaccess_scim_user and secureaccess_scim_group, nested
// ones included:
//
//  1. An attribute the configuration sets is owned by it. It is planned as
//     configured, sent, and compared with what the service holds on every
//     refresh: a change made outside Terraform shows in the plan and the
//     next apply repairs it. Compared without regard to letter case:
//     user_name and emails[].value (the service's letter case is no drift);
//     emails as a whole without regard to order. Everything else exactly.
//  2. An attribute the configuration leaves unset (every optional attribute
//     without a default: display_name, name and its parts, emails and their
//     type and primary, external_id, native_object_id, auth_name, and a
//     group's external_id) is the service's. It is unknown until the create
//     answers, then the state records what the service holds, and a plan
//     shows no change for it: not on create, update, refresh or import. An
//     update sends it back as last read, so that a PUT of the whole user
//     does not erase what the service or the identity provider keeps; only
//     name.formatted is left out (and unknown in the plan) when the name's
//     parts change, so that a service that derives it derives it anew.
//  3. An attribute that leaves the configuration (set at the last apply,
//     unset now) is unknown in the plan and left out of the update: the
//     service clears it, or derives it, and the state records which. The
//     attributes the configuration set at the last create or update are
//     kept in the resource's private state (ownedKey); an imported object
//     owns nothing until its first apply, and a state written before this
//     rule counts every attribute it holds as set.
//  4. After a create or update, an owned attribute the service holds
//     otherwise (drops, or changes beyond letter case) is a warning that
//     names the attribute, what was sent and what the service kept. The
//     state records the configured value, as Terraform requires; the next
//     refresh reads the service's, so the next plan shows the difference.
//
// The data sources, list resources and imports have no configuration to
// own anything: they record what the service holds (scimUserModel.fromAPI,
// scimGroupResourceModel.fromAPI), which is what rule 2 records too.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// ownedKey is the private state key of the attributes the configuration
// set at the last create or update (rule 3): a JSON list of ownership keys
// (userOwned, groupOwned).
const ownedKey = "owned"

// ownedSet is a set of ownership keys: "display_name", "name.formatted",
// "emails", `emails["jane@example.com"].type` (the address lower-cased).
type ownedSet map[string]bool

// keys returns the keys, sorted.
func (s ownedSet) keys() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// readOwned returns the recorded ownership keys, and false when the
// private state holds none (a state written before the rule).
func readOwned(ctx context.Context, p privateState) (ownedSet, bool) {
	v, diags := p.GetKey(ctx, ownedKey)
	var keys []string
	if diags.HasError() || len(v) == 0 || json.Unmarshal(v, &keys) != nil {
		return nil, false
	}
	s := make(ownedSet, len(keys))
	for _, k := range keys {
		s[k] = true
	}
	return s, true
}

// writeOwned records the ownership keys s (empty for an import).
func writeOwned(ctx context.Context, p privateState, s ownedSet) diag.Diagnostics {
	v, err := json.Marshal(s.keys())
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Private State Error", fmt.Sprintf("Could not encode the configured attributes: %v. This is a bug in the provider; please report it.", err))
		return diags
	}
	return p.SetKey(ctx, ownedKey, v)
}

// emailKey is the ownership key of a sub-attribute of the email with the
// address value.
func emailKey(value, sub string) string {
	return fmt.Sprintf("emails[%q].%s", strings.ToLower(value), sub)
}

// keptDifferently is an owned attribute the service holds otherwise than
// it was sent (rule 4).
type keptDifferently struct {
	attribute  string // as the configuration names it: "name.formatted"
	sent, kept string // quoted values, or "no value"
}

// quoted is a string value for a keptDifferently: quoted, or "no value".
func quoted(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return "no value"
	}
	return fmt.Sprintf("%q", v.ValueString())
}

// addKeptDifferently warns of the owned attributes the service holds
// otherwise; object names the object ("SCIM user \"jane\" (ID 42)").
func addKeptDifferently(diags *diag.Diagnostics, object string, diffs []keptDifferently) {
	if len(diffs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The service stored the %s, but does not hold what the configuration sets:\n", object)
	for _, d := range diffs {
		fmt.Fprintf(&b, "  - %s: sent %s; the service kept %s\n", d.attribute, d.sent, d.kept)
	}
	b.WriteString("\nTerraform records the configured values for now. The next refresh reads what the service holds, " +
		"so the next plan shows these attributes changing again, and a service that does not keep them will not keep them on the next apply either. " +
		"If the service does not store an attribute, remove it from the configuration; if it stores it in a form of its own, configure that form. " +
		"The guide \"SCIM server compatibility\" (What a service may store differently) lists what the provider tolerates.")
	diags.AddWarning("SCIM Service Kept Other Values", b.String())
}

// ownedBefore returns what the configuration owned at the last apply: the
// recorded keys, or, for a state written before the rule (which recorded
// only configured values), every key the state holds a value for but an
// email's primary, which such a state always held.
func ownedBefore(ctx context.Context, p privateState, stateKeys ownedSet) ownedSet {
	if s, ok := readOwned(ctx, p); ok {
		return s
	}
	out := ownedSet{}
	for k := range stateKeys {
		if !strings.HasSuffix(k, "].primary") {
			out[k] = true
		}
	}
	return out
}

// recordWrite ends a create or update: it sets state to v, the object as
// settled, warns of kd, the owned attributes the service kept otherwise
// (rule 4) unless the service's answer failed its check (not complete),
// and records owned, the ownership keys of the configuration (rule 3).
// object names the object in the warning.
func recordWrite(ctx context.Context, v any, owned ownedSet, object string, kd []keptDifferently, complete bool,
	state *tfsdk.State, private privateState, diags *diag.Diagnostics,
) {
	if complete {
		addKeptDifferently(diags, object, kd)
	}
	diags.Append(state.Set(ctx, v)...)
	diags.Append(writeOwned(ctx, private, owned)...)
}

// planEdits are the changes ModifyPlan makes to a planned object, by path.
type planEdits struct {
	edits []planEdit
}

// planEdit plans value at path, or unknown when unknown is set.
type planEdit struct {
	path    path.Path
	value   any
	unknown bool
}

// set plans v, a Go or attr.Value value of the attribute's type, at p.
func (e *planEdits) set(p path.Path, v any) {
	e.edits = append(e.edits, planEdit{path: p, value: v})
}

// unknown plans the attribute at p as unknown: the service decides it.
func (e *planEdits) unknown(p path.Path) {
	e.edits = append(e.edits, planEdit{path: p, unknown: true})
}

// apply writes the edits into plan.
func (e *planEdits) apply(ctx context.Context, plan *tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, ed := range e.edits {
		v := ed.value
		if ed.unknown {
			u, d := unknownAt(ctx, plan, ed.path)
			if diags.Append(d...); d.HasError() {
				continue
			}
			v = u
		}
		diags.Append(plan.SetAttribute(ctx, ed.path, v)...)
	}
	return diags
}

// unset plans the attribute at p, which the configuration leaves unset
// (rules 2 and 3): unknown when it left the configuration (left) and the
// service holds a value, so that the update leaves it out and the service
// clears it; else as the state holds it.
func (e *planEdits) unset(p path.Path, left bool, state, plan attr.Value) {
	switch {
	case left && !state.IsNull():
		e.unknown(p)
	case !plan.Equal(state):
		e.set(p, state)
	}
}

// unknownAt is the unknown value of the attribute at p of plan's schema.
func unknownAt(ctx context.Context, plan *tfsdk.Plan, p path.Path) (attr.Value, diag.Diagnostics) {
	typ, diags := plan.Schema.TypeAtPath(ctx, p)
	if diags.HasError() {
		return nil, diags
	}
	v, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), tftypes.UnknownValue))
	if err != nil {
		diags.AddError("Plan Error", fmt.Sprintf("Could not plan %s as unknown: %v. This is a bug in the provider; please report it.", p, err))
	}
	return v, diags
}

// The user.

// userValues is a user as a plan, a configuration or a state holds it: the
// resource's model, whose name and emails may also be unknown (a plan that
// leaves them to the service, a configuration that sets them from a value
// not known yet), which the model's pointer and slice cannot hold.
type userValues struct {
	scimUserResourceModel
	nameUnknown, emailsUnknown bool
}

// getUserValues reads raw, a secureaccess_scim_user value of schema s.
// An email that is unknown as a whole makes emails unknown.
func getUserValues(ctx context.Context, s tfsdk.Plan, raw tftypes.Value) (userValues, diag.Diagnostics) {
	var v userValues
	var diags diag.Diagnostics
	elementUnknown := false
	known, err := tftypes.Transform(raw, func(p *tftypes.AttributePath, val tftypes.Value) (tftypes.Value, error) {
		steps := p.Steps()
		if len(steps) == 0 || steps[0] != tftypes.AttributeName("name") && steps[0] != tftypes.AttributeName("emails") {
			return val, nil
		}
		switch {
		case len(steps) == 2 && steps[0] == tftypes.AttributeName("emails") && !val.IsKnown():
			elementUnknown = true
		case len(steps) == 1 && (!val.IsKnown() || steps[0] == tftypes.AttributeName("emails") && elementUnknown):
			if steps[0] == tftypes.AttributeName("name") {
				v.nameUnknown = true
			} else {
				v.emailsUnknown = true
			}
			return tftypes.NewValue(val.Type(), nil), nil
		}
		return val, nil
	})
	if err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("Could not read the user: %v. This is a bug in the provider; please report it.", err))
		return v, diags
	}
	diags.Append(tfsdk.Plan{Schema: s.Schema, Raw: known}.Get(ctx, &v.scimUserResourceModel)...)
	return v, diags
}

// userScalars are the user's optional top-level strings, by ownership key.
var userScalars = []struct {
	key   string
	field func(*scimUserModel) *types.String
}{
	{"display_name", func(m *scimUserModel) *types.String { return &m.DisplayName }},
	{"external_id", func(m *scimUserModel) *types.String { return &m.ExternalID }},
	{"native_object_id", func(m *scimUserModel) *types.String { return &m.NativeObjectID }},
	{"auth_name", func(m *scimUserModel) *types.String { return &m.AuthName }},
}

// nameParts are the parts of the user's name, by attribute name.
var nameParts = []struct {
	key   string
	field func(*scimUserNameModel) *types.String
}{
	{"given_name", func(n *scimUserNameModel) *types.String { return &n.GivenName }},
	{"family_name", func(n *scimUserNameModel) *types.String { return &n.FamilyName }},
	{"formatted", func(n *scimUserNameModel) *types.String { return &n.Formatted }},
}

// namePart is the part key of n, null for a user without name.
func namePart(n *scimUserNameModel, key string) types.String {
	if n == nil {
		return types.StringNull()
	}
	for _, p := range nameParts {
		if p.key == key {
			return *p.field(n)
		}
	}
	return types.StringNull()
}

// userOwned returns the ownership keys of what the configuration c sets.
func userOwned(c userValues) ownedSet {
	s := ownedSet{}
	for _, a := range userScalars {
		if !a.field(&c.scimUserModel).IsNull() {
			s[a.key] = true
		}
	}
	if c.nameUnknown || c.Name != nil {
		s["name"] = true
	}
	for _, p := range nameParts {
		if !namePart(c.Name, p.key).IsNull() {
			s["name."+p.key] = true
		}
	}
	if c.emailsUnknown || c.Emails != nil {
		s["emails"] = true
	}
	for _, e := range c.Emails {
		if e.Value.IsUnknown() {
			continue
		}
		if !e.Type.IsNull() {
			s[emailKey(e.Value.ValueString(), "type")] = true
		}
		if !e.Primary.IsNull() {
			s[emailKey(e.Value.ValueString(), "primary")] = true
		}
	}
	return s
}

// planUser returns the edits that make plan, the framework's plan of an
// update from state to the configuration cfg, follow the rule (rules 2
// and 3): what cfg leaves unset is planned as state holds it, unknown
// where it left the configuration since the last apply (before), and
// name.formatted unknown where the name's parts change.
func planUser(cfg, state, plan userValues, before ownedSet) planEdits {
	now := userOwned(cfg)
	left := func(key string) bool { return before[key] && !now[key] }
	var e planEdits
	for _, a := range userScalars {
		if a.field(&cfg.scimUserModel).IsNull() {
			e.unset(path.Root(a.key), left(a.key), *a.field(&state.scimUserModel), *a.field(&plan.scimUserModel))
		}
	}
	planName(&e, cfg, state, plan, left)
	planEmails(&e, cfg, state, plan, left)
	return e
}

// planName is planUser for the name.
func planName(e *planEdits, cfg, state, plan userValues, left func(string) bool) {
	root := path.Root("name")
	switch {
	case cfg.nameUnknown:
	case cfg.Name == nil:
		if left("name") && state.Name != nil {
			e.unknown(root)
		} else if plan.nameUnknown || !equalName(plan.Name, state.Name) {
			e.set(root, state.Name)
		}
	case plan.Name != nil:
		partsChange := false
		for _, key := range []string{"given_name", "family_name"} {
			c, s := namePart(cfg.Name, key), namePart(state.Name, key)
			partsChange = partsChange || !c.IsNull() && !c.Equal(s) || c.IsNull() && left("name."+key) && !s.IsNull()
		}
		for _, p := range nameParts {
			switch {
			case !p.field(cfg.Name).IsNull():
			case p.key == "formatted" && partsChange: // derived anew by a service that derives it
				e.unknown(root.AtName(p.key))
			default:
				e.unset(root.AtName(p.key), left("name."+p.key), namePart(state.Name, p.key), *p.field(plan.Name))
			}
		}
	}
}

// equalName reports whether two names are equal.
func equalName(a, b *scimUserNameModel) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// planEmails is planUser for the emails: an email is matched with the
// state's by its address, without regard to letter case, and emails that
// match the state's in another order or letter case plan the state's.
func planEmails(e *planEdits, cfg, state, plan userValues, left func(string) bool) {
	root := path.Root("emails")
	switch {
	case cfg.emailsUnknown:
	case cfg.Emails == nil:
		if left("emails") && state.Emails != nil {
			e.unknown(root)
		} else if plan.emailsUnknown || !slices.Equal(plan.Emails, state.Emails) {
			e.set(root, state.Emails)
		}
	case plan.emailsUnknown || len(plan.Emails) != len(cfg.Emails):
	case equivalentEmails(cfg.Emails, state.Emails, left):
		if !slices.Equal(plan.Emails, state.Emails) {
			e.set(root, state.Emails)
		}
	default:
		for i, c := range cfg.Emails {
			s := findEmail(state.Emails, c.Value, nil)
			at := root.AtListIndex(i)
			for _, sub := range emailSubs {
				switch {
				case !sub.of(c).IsNull():
				case s < 0: // a new address: the service decides
					e.unknown(at.AtName(sub.key))
				default:
					e.unset(at.AtName(sub.key), left(emailKey(c.Value.ValueString(), sub.key)), sub.of(state.Emails[s]), sub.of(plan.Emails[i]))
				}
			}
		}
	}
}

// emailSubs are the sub-attributes of an email that the configuration may
// leave to the service.
var emailSubs = []struct {
	key string
	of  func(scimUserEmailModel) attr.Value
}{
	{"type", func(e scimUserEmailModel) attr.Value { return e.Type }},
	{"primary", func(e scimUserEmailModel) attr.Value { return e.Primary }},
}

// findEmail returns the index of the first email of emails, not yet used,
// whose address equals value without regard to letter case; -1 if none or
// value is unknown. It marks the email used when used is not nil.
func findEmail(emails []scimUserEmailModel, value types.String, used []bool) int {
	if value.IsUnknown() || value.IsNull() {
		return -1
	}
	for i, e := range emails {
		if (used == nil || !used[i]) && strings.EqualFold(e.Value.ValueString(), value.ValueString()) {
			if used != nil {
				used[i] = true
			}
			return i
		}
	}
	return -1
}

// equivalentEmails reports whether the configured emails cfg are the
// state's, in any order and letter case of the addresses: each matches
// one of the state's, with the type and primary it sets, and without a
// type or primary that left the configuration.
func equivalentEmails(cfg, state []scimUserEmailModel, left func(string) bool) bool {
	if len(cfg) != len(state) {
		return false
	}
	used := make([]bool, len(state))
	for _, c := range cfg {
		i := findEmail(state, c.Value, used)
		if i < 0 {
			return false
		}
		for _, sub := range emailSubs {
			cv, sv := sub.of(c), sub.of(state[i])
			cleared := left(emailKey(c.Value.ValueString(), sub.key)) && !sv.IsNull() // left the configuration: to clear
			if !cv.Equal(sv) && (!cv.IsNull() || cleared) {
				return false
			}
		}
	}
	return true
}

// settleUser returns the state of a user after a create or update (rules
// 2 and 4): what plan knows (the configured values, and what the service
// held before), and the service's value where plan is unknown; and the
// owned attributes that kept, the user as the service answered, holds
// otherwise.
func settleUser(plan userValues, kept *scim.User, owned ownedSet) (scimUserModel, []keptDifferently) {
	var k scimUserModel
	k.fromAPI(kept)
	out := plan.scimUserModel
	out.ID = k.ID
	var diffs []keptDifferently
	differs := func(attribute string, sent, kept types.String) {
		diffs = append(diffs, keptDifferently{attribute: attribute, sent: quoted(sent), kept: quoted(kept)})
	}
	if !strings.EqualFold(plan.UserName.ValueString(), k.UserName.ValueString()) {
		differs("user_name", plan.UserName.StringValue, k.UserName.StringValue)
	}
	if !plan.Active.IsUnknown() && !plan.Active.Equal(k.Active) {
		diffs = append(diffs, keptDifferently{attribute: "active", sent: plan.Active.String(), kept: k.Active.String()})
	}
	if plan.Active.IsUnknown() {
		out.Active = k.Active
	}
	for _, a := range userScalars {
		settleString(&diffs, owned[a.key], a.key, a.field(&out), *a.field(&k))
	}
	switch {
	case plan.nameUnknown:
		out.Name = k.Name
	case plan.Name != nil:
		n := *plan.Name
		for _, p := range nameParts {
			settleString(&diffs, owned["name."+p.key], "name."+p.key, p.field(&n), namePart(k.Name, p.key))
		}
		out.Name = &n
	}
	switch {
	case plan.emailsUnknown:
		out.Emails = k.Emails
	case plan.Emails != nil:
		out.Emails, diffs = settleEmails(plan.Emails, k.Emails, owned, diffs)
	}
	return out, diffs
}

// settleString settles one string attribute after a write (rules 2 and
// 4): an unknown planned value takes the kept one; a planned value the
// configuration owns that the service kept otherwise is added to diffs,
// under attribute; planned stays as planned otherwise.
func settleString(diffs *[]keptDifferently, owned bool, attribute string, planned *types.String, kept types.String) {
	switch {
	case planned.IsUnknown():
		*planned = kept
	case owned && !planned.Equal(kept):
		*diffs = append(*diffs, keptDifferently{attribute: attribute, sent: quoted(*planned), kept: quoted(kept)})
	}
}

// settleEmails is settleUser for the planned emails, matched with the
// kept ones by address without regard to letter case.
func settleEmails(planned, kept []scimUserEmailModel, owned ownedSet, diffs []keptDifferently) ([]scimUserEmailModel, []keptDifferently) {
	out := slices.Clone(planned)
	used := make([]bool, len(kept))
	for i := range out {
		e := &out[i]
		j := findEmail(kept, e.Value, used)
		if j < 0 {
			if owned["emails"] {
				diffs = append(diffs, keptDifferently{attribute: "emails", sent: quoted(e.Value), kept: "no such address"})
			}
			if e.Type.IsUnknown() {
				e.Type = types.StringNull()
			}
			if e.Primary.IsUnknown() {
				e.Primary = types.BoolValue(false)
			}
			continue
		}
		k := kept[j]
		key := func(sub string) string { return emailKey(e.Value.ValueString(), sub) }
		settleString(&diffs, owned[key("type")], fmt.Sprintf("emails[%d].type", i), &e.Type, k.Type)
		switch {
		case e.Primary.IsUnknown():
			e.Primary = k.Primary
		case !e.Primary.Equal(k.Primary) && owned[key("primary")]:
			diffs = append(diffs, keptDifferently{attribute: fmt.Sprintf("emails[%d].primary", i), sent: e.Primary.String(), kept: k.Primary.String()})
		}
	}
	for j, k := range kept {
		if !used[j] && owned["emails"] {
			diffs = append(diffs, keptDifferently{attribute: "emails", sent: "no such address", kept: quoted(k.Value)})
		}
	}
	return out, diffs
}

// keepEquivalent makes m, a user as the service holds it, keep what prior
// (the state before a refresh) says the same way (rule 1): prior's email
// addresses where they differ only in letter case, and prior's order of
// the emails, followed by the others in the service's. (user_name's
// letter case is kept by its type's semantic equality, userNameValue.)
func (m *scimUserModel) keepEquivalent(prior scimUserModel) {
	if len(prior.Emails) == 0 || len(m.Emails) == 0 {
		return
	}
	used := make([]bool, len(m.Emails))
	ordered := make([]scimUserEmailModel, 0, len(m.Emails))
	for _, p := range prior.Emails {
		if i := findEmail(m.Emails, p.Value, used); i >= 0 {
			e := m.Emails[i]
			e.Value = p.Value
			ordered = append(ordered, e)
		}
	}
	for i, e := range m.Emails {
		if !used[i] {
			ordered = append(ordered, e)
		}
	}
	m.Emails = ordered
}

// The group: its display_name is required, so owned; its external_id
// follows the rule.

// groupOwned returns the ownership keys of what the configuration c sets.
func groupOwned(c scimGroupResourceModel) ownedSet {
	s := ownedSet{}
	if !c.ExternalID.IsNull() {
		s["external_id"] = true
	}
	return s
}

// planGroup is planUser for a group.
func planGroup(cfg, state, plan scimGroupResourceModel, before ownedSet) planEdits {
	var e planEdits
	if cfg.ExternalID.IsNull() {
		e.unset(path.Root("external_id"), before["external_id"], state.ExternalID, plan.ExternalID)
	}
	return e
}

// settleGroup is settleUser for a group.
func settleGroup(plan scimGroupResourceModel, kept *scim.Group, owned ownedSet) (scimGroupResourceModel, []keptDifferently) {
	var k scimGroupResourceModel
	k.fromAPI(kept)
	out := plan
	out.ID = k.ID
	var diffs []keptDifferently
	if !plan.DisplayName.Equal(k.DisplayName) {
		diffs = append(diffs, keptDifferently{attribute: "display_name", sent: quoted(plan.DisplayName), kept: quoted(k.DisplayName)})
	}
	settleString(&diffs, owned["external_id"], "external_id", &out.ExternalID, k.ExternalID)
	return out, diffs
}
