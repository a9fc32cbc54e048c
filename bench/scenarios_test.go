package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestScaled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n     int
		scale float64
		want  int
	}{
		{n: 1000, scale: 1, want: 1000},
		{n: 1000, scale: 0.1, want: 100},
		{n: 50, scale: 0.01, want: 1},
		{n: 5, scale: 0.01, want: 1},
		{n: 500, scale: 0.005, want: 3},
		{n: 100, scale: 2, want: 200},
	}
	for _, tt := range tests {
		if got := scaled(tt.n, tt.scale); got != tt.want {
			t.Errorf("scaled(%d, %v) = %d, want %d", tt.n, tt.scale, got, tt.want)
		}
	}
}

// scenarioShape is what TestBuildScenario compares.
type scenarioShape struct {
	Title     string
	Resources int
	Template  string
	Seed      seedPlan
	Ops       []string
	Targets   [][]string
}

func shapeOf(sc scenario) scenarioShape {
	s := scenarioShape{Title: sc.title, Resources: sc.resources, Template: sc.template, Seed: sc.seed}
	for _, op := range sc.ops {
		s.Ops = append(s.Ops, op.name)
		var descs []string
		for _, t := range op.targets {
			descs = append(descs, t.desc)
		}
		s.Targets = append(s.Targets, descs)
	}
	return s
}

func TestBuildScenario(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id    string
		scale float64
		want  scenarioShape
	}{
		{id: "1", scale: 1, want: scenarioShape{
			Title: "1000 users + 50 groups + 1000 memberships", Resources: 2050, Template: "memberships",
			Ops: []string{"apply", "plan (refresh)", "no-op apply", "destroy"},
			Targets: [][]string{
				{"ratio ≤ 1.15", "1 request/resource"},
				{"ratio ≤ 1.15", "≤ 60 requests"},
				{"≤ 60 requests"},
				{"ratio ≤ 1.15", "≤ 2050 + 60 requests"},
			},
		}},
		{id: "2", scale: 1, want: scenarioShape{
			Title: "100 users + 5 groups + 100 memberships", Resources: 205, Template: "memberships",
			Ops:     []string{"apply", "plan (refresh)", "no-op apply", "destroy"},
			Targets: [][]string{nil, nil, nil, nil},
		}},
		{id: "3", scale: 1, want: scenarioShape{
			Title: "group_members of 10000 users, change 500 (-250 +250)", Resources: 1, Template: "members",
			Seed:    seedPlan{users: 10250, group: true},
			Ops:     []string{"create", "refresh (plan)", "change 500 members", "destroy"},
			Targets: [][]string{nil, {"1 request", "cost < 1 s"}, {"≤ 5 PATCHes"}, nil},
		}},
		{id: "3", scale: 0.04, want: scenarioShape{
			Title: "group_members of 400 users, change 400 (-200 +200)", Resources: 1, Template: "members",
			Seed:    seedPlan{users: 600, group: true},
			Ops:     []string{"create", "refresh (plan)", "change 400 members", "destroy"},
			Targets: [][]string{nil, {"1 request", "cost < 1 s"}, {"≤ 5 PATCHes"}, nil},
		}},
		{id: "3", scale: 0.2, want: scenarioShape{
			Title: "group_members of 2000 users, change 500 (-250 +250)", Resources: 1, Template: "members",
			Seed:    seedPlan{users: 2250, group: true},
			Ops:     []string{"create", "refresh (plan)", "change 500 members", "destroy"},
			Targets: [][]string{nil, {"1 request", "cost < 1 s"}, {"≤ 5 PATCHes"}, nil},
		}},
		{id: "3", scale: 0.0001, want: scenarioShape{
			Title: "group_members of 1 users, change 2 (-1 +1)", Resources: 1, Template: "members",
			Seed:    seedPlan{users: 2, group: true},
			Ops:     []string{"create", "refresh (plan)", "change 2 members", "destroy"},
			Targets: [][]string{nil, {"1 request", "cost < 1 s"}, {"≤ 5 PATCHes"}, nil},
		}},
		{id: "4", scale: 1, want: scenarioShape{
			Title: "scim_users data source over 10000 users", Resources: 1, Template: "users",
			Seed:    seedPlan{users: 10000},
			Ops:     []string{"read (apply)"},
			Targets: [][]string{{"10 requests"}},
		}},
		{id: "3", scale: 0.01, want: scenarioShape{
			Title: "group_members of 100 users, change 100 (-50 +50)", Resources: 1, Template: "members",
			Seed:    seedPlan{users: 150, group: true},
			Ops:     []string{"create", "refresh (plan)", "change 100 members", "destroy"},
			Targets: [][]string{nil, {"1 request", "cost < 1 s"}, {"≤ 5 PATCHes"}, nil},
		}},
		{id: "4", scale: 0.15, want: scenarioShape{
			Title: "scim_users data source over 1500 users", Resources: 1, Template: "users",
			Seed:    seedPlan{users: 1500},
			Ops:     []string{"read (apply)"},
			Targets: [][]string{{"2 requests"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			sc, err := buildScenario(tt.id, tt.scale)
			if err != nil {
				t.Fatalf("buildScenario(%q): %v", tt.id, err)
			}
			if diff := cmp.Diff(tt.want, shapeOf(sc), cmp.AllowUnexported(seedPlan{})); diff != "" {
				t.Errorf("buildScenario(%q, %v) mismatch (-want +got):\n%s", tt.id, tt.scale, diff)
			}
		})
	}
}

func TestBuildScenario_unknown(t *testing.T) {
	t.Parallel()
	if _, err := buildScenario("5", 1); err == nil {
		t.Error("buildScenario(\"5\") succeeded, want an error")
	}
}

// TestMembersScenario_vars checks that the change swaps exactly the
// announced number of memberships and keeps the group.
func TestMembersScenario_vars(t *testing.T) {
	t.Parallel()
	const members, change = 20, 7
	sc := membersScenario("3", members, change)
	s := seeded{groupID: "g"}
	for i := range sc.seed.users {
		s.userIDs = append(s.userIDs, string(rune('A'+i)))
	}
	sets := sc.vars(s)
	initial := sets["initial"]["member_ids"].([]string)
	changed := sets["changed"]["member_ids"].([]string)
	var removed, added int
	for _, id := range initial {
		if !slices.Contains(changed, id) {
			removed++
		}
	}
	for _, id := range changed {
		if !slices.Contains(initial, id) {
			added++
		}
	}
	got := map[string]int{"initial": len(initial), "changed": len(changed), "removed": removed, "added": added}
	want := map[string]int{"initial": members, "changed": members + 1, "removed": change / 2, "added": change - change/2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("member sets mismatch (-want +got):\n%s", diff)
	}
	for _, name := range []string{"initial", "changed"} {
		if g := sets[name]["group_id"]; g != "g" {
			t.Errorf("%s group_id = %v, want g", name, g)
		}
	}
	for _, op := range sc.ops {
		if _, ok := sets[op.vars]; !ok {
			t.Errorf("operation %q uses variable set %q, which does not exist", op.name, op.vars)
		}
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	patches := func(n int) map[string]int { return map[string]int{patchGroupRoute: n} }
	tests := []struct {
		name   string
		target target
		row    row
		want   bool
	}{
		{name: "ratio met", target: ratioTarget(), row: row{ours: 115 * time.Second, floor: 100 * time.Second}, want: true},
		{name: "ratio missed", target: ratioTarget(), row: row{ours: 116 * time.Second, floor: 100 * time.Second}, want: false},
		{name: "per resource met", target: requestsPerResourceTarget(), row: row{requests: 2050, resources: 2050}, want: true},
		{name: "per resource above", target: requestsPerResourceTarget(), row: row{requests: 4100, resources: 2050}, want: false},
		{name: "per resource below", target: requestsPerResourceTarget(), row: row{requests: 0, resources: 2050}, want: false},
		{name: "refresh requests met", target: refreshRequestsTarget(0), row: row{requests: 60}, want: true},
		{name: "refresh requests missed", target: refreshRequestsTarget(0), row: row{requests: 61}, want: false},
		{name: "refresh and writes met", target: refreshRequestsTarget(2050), row: row{requests: 2110}, want: true},
		{name: "refresh and writes missed", target: refreshRequestsTarget(2050), row: row{requests: 2111}, want: false},
		{name: "requests met", target: requestsTarget(10), row: row{requests: 10}, want: true},
		{name: "requests missed", target: requestsTarget(10), row: row{requests: 100}, want: false},
		{name: "patches met", target: changeTarget(t), row: row{routes: patches(5)}, want: true},
		{name: "patches missed", target: changeTarget(t), row: row{routes: patches(6)}, want: false},
		{name: "refresh cost met", target: refreshCostTarget(t), row: row{ours: 2900 * time.Millisecond, floor: 2 * time.Second}, want: true},
		{name: "refresh cost missed", target: refreshCostTarget(t), row: row{ours: 3 * time.Second, floor: 2 * time.Second}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.target.met(tt.row); got != tt.want {
				t.Errorf("%s met(%+v) = %v, want %v", tt.target.desc, tt.row, got, tt.want)
			}
		})
	}
}

// changeTarget returns scenario 3's PATCH target.
func changeTarget(t *testing.T) target {
	t.Helper()
	return scenario3Op(t, 2).targets[0]
}

// refreshCostTarget returns scenario 3's refresh time target.
func refreshCostTarget(t *testing.T) target {
	t.Helper()
	return scenario3Op(t, 1).targets[1]
}

func scenario3Op(t *testing.T, i int) operation {
	t.Helper()
	sc, err := buildScenario("3", 1)
	if err != nil {
		t.Fatalf("buildScenario: %v", err)
	}
	return sc.ops[i]
}

func TestSidesOf(t *testing.T) {
	t.Parallel()
	users, err := buildScenario("1", 0.01)
	if err != nil {
		t.Fatal(err)
	}
	data, err := buildScenario("4", 0.01)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		sc             scenario
		frameworkFloor bool
		want           []side
	}{
		{users, false, []side{sideOurs, sideFloor}},
		{users, true, []side{sideOurs, sideNull, sideFloor}},
		{data, true, []side{sideOurs, sideFloor}}, // the null provider has no data sources
	} {
		if got := sidesOf(tt.sc, tt.frameworkFloor); !slices.Equal(got, tt.want) {
			t.Errorf("sidesOf(scenario %s, %v) = %v, want %v", tt.sc.id, tt.frameworkFloor, got, tt.want)
		}
	}
}

// TestRenderConfig_null checks that the null side gets ours' configuration
// with only the provider's source changed.
func TestRenderConfig_null(t *testing.T) {
	t.Parallel()
	sc, err := buildScenario("1", 0.01)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	read := func(sd side) string {
		path := filepath.Join(dir, string(sd)+".tf")
		if err := renderConfig(path, sc, sd); err != nil {
			t.Fatalf("renderConfig(%s): %v", sd, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ours, null := read(sideOurs), read(sideNull)
	if !strings.Contains(null, `source = "secureaccess-iac/secureaccessnull"`) {
		t.Errorf("null configuration does not use the null provider:\n%s", null)
	}
	if got := strings.Replace(null, "secureaccessnull", "secureaccess", 1); got != ours {
		t.Errorf("null configuration differs from ours beyond the source:\n%s", cmp.Diff(ours, got))
	}
}
