package main

import (
	"embed"
	"fmt"
	"math"
	"strconv"
	"text/template"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// Scenario sizes at scale 1, from issue 6.
const (
	largeUsers      = 1000  // scenario 1: users, and as many additive memberships
	largeGroups     = 50    // scenario 1: groups
	smallUsers      = 100   // scenario 2: users, and as many memberships
	smallGroups     = 5     // scenario 2: groups
	groupMembers    = 10000 // scenario 3: members of one authoritative group
	memberChange    = 500   // scenario 3: memberships changed (half removed, half added), at most as many as the members
	dataSourceUsers = 10000 // scenario 4: users the data source reads
)

// Targets of issue 6.
const (
	maxRatio           = 1.15 // scenario 1: ours / floor for apply, plan, destroy
	maxChangePatches   = 5    // scenario 3: PATCHes of the 500-member change
	maxRefreshSeconds  = 1.0  // scenario 3: provider cost (ours − floor) of the refresh
	maxRefreshRequests = 60   // scenario 1: requests of a refresh of its 2050 resources (issue 14)
)

// patchGroupRoute is the mock's Stats key of a group PATCH.
const patchGroupRoute = "PATCH /identity/v2/scim/Groups/{id}"

// Terraform commands of the operations. Plans use -detailed-exitcode so
// that a non-empty plan is detected (exit code 2).
var (
	cmdApply   = []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	cmdPlan    = []string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}
	cmdDestroy = []string{"destroy", "-auto-approve", "-input=false", "-no-color"}
)

//go:embed templates/*.tf.tmpl
var templateFS embed.FS

// templates holds every configuration template, by file name.
var templates = template.Must(template.ParseFS(templateFS, "templates/*.tf.tmpl"))

// side is one half of a comparison: this provider, or Terraform's floor;
// optionally a third, the framework floor.
type side string

const (
	sideOurs  side = "ours"
	sideFloor side = "floor"
	// sideNull runs ours' configuration against bench/nullprovider: this
	// provider's schemas served by the framework, with no HTTP and no CRUD
	// work (-framework-floor).
	sideNull side = "null"
)

// sides lists both halves in the order they run within a repetition.
var sides = []side{sideOurs, sideFloor}

// nullProviderSource is the null provider's source address; run.sh
// builds it into the mirror next to the real provider.
const nullProviderSource = "secureaccess-iac/secureaccessnull"

// sidesOf returns the sides a scenario runs: the framework floor too when
// enabled and the scenario has resources (the null provider serves no
// data sources).
func sidesOf(sc scenario, frameworkFloor bool) []side {
	if frameworkFloor && !sc.dataSourceOnly {
		return []side{sideOurs, sideNull, sideFloor}
	}
	return sides
}

// scenario is one benchmark: the configurations of both sides, what to seed
// into the mock first, and the operations to time.
type scenario struct {
	id    string
	title string
	// resources is how many resources (or data sources) each operation
	// covers: the divisor of requests per resource.
	resources int
	// template is the configuration prefix: "<template>_ours.tf.tmpl" and
	// "<template>_floor.tf.tmpl", rendered with params.
	template string
	params   any
	seed     seedPlan
	// vars returns the variable sets operations refer to by name, built
	// from what was seeded; nil when the configuration has no variables.
	vars func(seeded) map[string]map[string]any
	ops  []operation
	// dataSourceOnly marks a scenario without resources: no framework
	// floor.
	dataSourceOnly bool
}

// operation is one timed Terraform command.
type operation struct {
	name string
	args []string
	// vars names the variable set written to bench.auto.tfvars.json first.
	vars string
	// check validates the command's outcome on either side.
	check check
	// targets are issue 6's goals for this operation.
	targets []target
	// readOnly marks an operation that writes nothing (a plan, a no-op
	// apply, a data source read): it runs at every -latency in turn.
	readOnly bool
}

// check validates the outcome of a command; nil accepts any success.
type check func(side, outcome) error

// target is one goal of issue 6, judged on the medians of a result row.
type target struct {
	desc string
	met  func(row) bool
}

// allScenarioIDs returns the ids of every scenario, in order.
func allScenarioIDs() []string {
	return []string{"1", "2", "3", "4"}
}

// scaled returns n times scale, rounded, and at least 1.
func scaled(n int, scale float64) int {
	return max(1, int(math.Round(float64(n)*scale)))
}

// buildScenario returns scenario id at the given scale.
func buildScenario(id string, scale float64) (scenario, error) {
	switch id {
	case "1":
		return membershipsScenario(id, scaled(largeUsers, scale), scaled(largeGroups, scale), true), nil
	case "2":
		return membershipsScenario(id, scaled(smallUsers, scale), scaled(smallGroups, scale), false), nil
	case "3":
		members := scaled(groupMembers, scale)
		return membersScenario(id, members, min(memberChange, max(2, members))), nil
	case "4":
		return usersDataSourceScenario(id, scaled(dataSourceUsers, scale)), nil
	default:
		return scenario{}, fmt.Errorf("unknown scenario %q", id)
	}
}

// membershipsParams sizes the memberships templates.
type membershipsParams struct {
	Users, Groups int
}

// membershipsScenario is scenarios 1 and 2: users, groups and one additive
// membership per user, through apply, plan, no-op apply and destroy. With
// withTargets, issue 6's scenario 1 targets apply.
func membershipsScenario(id string, users, groups int, withTargets bool) scenario {
	resources := 2*users + groups
	var created, refreshed, destroyed, noop []target
	if withTargets {
		created = []target{ratioTarget(), requestsPerResourceTarget()}
		refreshed = []target{ratioTarget(), refreshRequestsTarget(0)}
		noop = []target{refreshRequestsTarget(0)}
		destroyed = []target{ratioTarget(), refreshRequestsTarget(resources)}
	}
	return scenario{
		id:        id,
		title:     fmt.Sprintf("%d users + %d groups + %d memberships", users, groups, users),
		resources: resources,
		template:  "memberships",
		params:    membershipsParams{Users: users, Groups: groups},
		ops: []operation{
			{name: "apply", args: cmdApply, check: expectApplied(resources), targets: created},
			{name: "plan (refresh)", args: cmdPlan, check: expectEmptyPlan, targets: refreshed, readOnly: true},
			{name: "no-op apply", args: cmdApply, check: expectApplied(0), targets: noop, readOnly: true},
			{name: "destroy", args: cmdDestroy, check: expectDestroyed(resources), targets: destroyed},
		},
	}
}

// membersScenario is scenario 3: one authoritative group_members resource
// over pre-seeded users and a pre-seeded group; the change removes half of
// change members and adds as many new ones.
func membersScenario(id string, members, change int) scenario {
	removed := change / 2
	added := change - removed
	return scenario{
		id:        id,
		title:     fmt.Sprintf("group_members of %d users, change %d (-%d +%d)", members, change, removed, added),
		resources: 1,
		template:  "members",
		seed:      seedPlan{users: members + added, group: true},
		vars: func(s seeded) map[string]map[string]any {
			return map[string]map[string]any{
				"initial": {"group_id": s.groupID, "member_ids": s.userIDs[:members]},
				"changed": {"group_id": s.groupID, "member_ids": s.userIDs[removed:]},
			}
		},
		ops: []operation{
			{name: "create", args: cmdApply, vars: "initial", check: expectApplied(1)},
			{name: "refresh (plan)", args: cmdPlan, vars: "initial", check: expectEmptyPlan, readOnly: true, targets: []target{
				requestsTarget(1),
				{desc: fmt.Sprintf("cost < %.0f s", maxRefreshSeconds), met: func(r row) bool { return r.cost().Seconds() < maxRefreshSeconds }},
			}},
			{name: fmt.Sprintf("change %d members", change), args: cmdApply, vars: "changed", check: expectChanged(1), targets: []target{
				{desc: fmt.Sprintf("≤ %d PATCHes", maxChangePatches), met: func(r row) bool { return r.routes[patchGroupRoute] <= maxChangePatches }},
			}},
			{name: "destroy", args: cmdDestroy, vars: "changed", check: expectDestroyed(1)},
		},
	}
}

// usersDataSourceScenario is scenario 4: the secureaccess_scim_users data
// source over pre-seeded users, read by an apply that outputs their count.
func usersDataSourceScenario(id string, users int) scenario {
	pages := (users + scimserver.MaxResults - 1) / scimserver.MaxResults
	return scenario{
		id:             id,
		title:          fmt.Sprintf("scim_users data source over %d users", users),
		resources:      1,
		dataSourceOnly: true,
		template:       "users",
		seed:           seedPlan{users: users},
		ops: []operation{
			{name: "read (apply)", args: cmdApply, readOnly: true, check: expectOutput("user_count", map[side]string{sideOurs: strconv.Itoa(users), sideFloor: "1"}), targets: []target{
				requestsTarget(pages),
			}},
		},
	}
}

// ratioTarget is "ours / floor ≤ maxRatio".
func ratioTarget() target {
	return target{desc: fmt.Sprintf("ratio ≤ %.2f", maxRatio), met: func(r row) bool { return r.ratio() <= maxRatio }}
}

// requestsPerResourceTarget is "exactly one request per resource".
func requestsPerResourceTarget() target {
	return target{desc: "1 request/resource", met: func(r row) bool { return r.requests == r.resources }}
}

// refreshRequestsTarget is issue 14's "a refresh costs at most
// maxRefreshRequests requests", on top of the writes one request per
// resource that the operation also sends.
func refreshRequestsTarget(writes int) target {
	desc := fmt.Sprintf("≤ %d requests", maxRefreshRequests)
	if writes > 0 {
		desc = fmt.Sprintf("≤ %d + %d requests", writes, maxRefreshRequests)
	}
	return target{desc: desc, met: func(r row) bool { return r.requests <= writes+maxRefreshRequests }}
}

// requestsTarget is "exactly n requests".
func requestsTarget(n int) target {
	noun := "requests"
	if n == 1 {
		noun = "request"
	}
	return target{desc: fmt.Sprintf("%d %s", n, noun), met: func(r row) bool { return r.requests == n }}
}
