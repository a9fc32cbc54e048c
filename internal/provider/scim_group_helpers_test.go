package provider

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// testUserIDs returns n user IDs "<prefix>000", "<prefix>001", … (sorted).
func testUserIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return ids
}

func TestDiffMembers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		have, want []string
		expected   memberDelta
	}{
		{name: "both empty", expected: memberDelta{}},
		{name: "add all", want: []string{"b", "a"}, expected: memberDelta{add: []string{"a", "b"}}},
		{name: "remove all", have: []string{"b", "a"}, expected: memberDelta{remove: []string{"a", "b"}}},
		{name: "equal", have: []string{"a", "b"}, want: []string{"b", "a"}, expected: memberDelta{}},
		{
			name:     "add and remove",
			have:     []string{"a", "b", "c"},
			want:     []string{"c", "d", "a", "e"},
			expected: memberDelta{add: []string{"d", "e"}, remove: []string{"b"}},
		},
		{name: "duplicates collapse", have: []string{"x", "x"}, want: []string{"y", "y"}, expected: memberDelta{add: []string{"y"}, remove: []string{"x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := diffMembers(tt.have, tt.want)
			if diff := cmp.Diff(tt.expected, got, cmp.AllowUnexported(memberDelta{})); diff != "" {
				t.Errorf("diffMembers() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// memberPatchShape summarizes one PATCH: the member values it adds and removes.
type memberPatchShape struct {
	Add, Remove []string
}

// memberPatchShapes summarizes PATCH operation lists built by memberOps.
func memberPatchShapes(t *testing.T, patches [][]scim.PatchOperation) []memberPatchShape {
	t.Helper()
	var out []memberPatchShape
	for _, ops := range patches {
		var s memberPatchShape
		for _, op := range ops {
			switch op.Op {
			case scim.OpAdd:
				if op.Path != "members" {
					t.Fatalf("add path = %q, want members", op.Path)
				}
				for _, m := range op.Value.([]scim.Member) {
					s.Add = append(s.Add, m.Value)
				}
			case scim.OpRemove:
				var id string
				if _, err := fmt.Sscanf(op.Path, "members[value eq %q]", &id); err != nil {
					t.Fatalf("remove path %q: %v", op.Path, err)
				}
				s.Remove = append(s.Remove, id)
			default:
				t.Fatalf("unexpected op %q", op.Op)
			}
		}
		out = append(out, s)
	}
	return out
}

func TestMemberDeltaPatches(t *testing.T) {
	t.Parallel()
	adds, removes := testUserIDs("a", 250), testUserIDs("r", 150)
	tests := []struct {
		name     string
		delta    memberDelta
		expected []memberPatchShape
	}{
		{name: "empty delta sends nothing", delta: memberDelta{}},
		{name: "one add", delta: memberDelta{add: []string{"u"}}, expected: []memberPatchShape{{Add: []string{"u"}}}},
		{name: "one remove", delta: memberDelta{remove: []string{"u"}}, expected: []memberPatchShape{{Remove: []string{"u"}}}},
		{
			name:     "adds and removes share a request",
			delta:    memberDelta{add: []string{"a", "b"}, remove: []string{"c"}},
			expected: []memberPatchShape{{Add: []string{"a", "b"}, Remove: []string{"c"}}},
		},
		{
			name:     "250 adds make 3 requests",
			delta:    memberDelta{add: adds},
			expected: []memberPatchShape{{Add: adds[:100]}, {Add: adds[100:200]}, {Add: adds[200:]}},
		},
		{
			name:     "exactly 100 changes make 1 request",
			delta:    memberDelta{add: adds[:60], remove: removes[:40]},
			expected: []memberPatchShape{{Add: adds[:60], Remove: removes[:40]}},
		},
		{
			name:  "a request mixes the last adds with the first removes",
			delta: memberDelta{add: adds[:150], remove: removes[:120]},
			expected: []memberPatchShape{
				{Add: adds[:100]},
				{Add: adds[100:150], Remove: removes[:50]},
				{Remove: removes[50:120]},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			patches := tt.delta.patches()
			if want := (tt.delta.size() + scim.MaxMembersPerPatch - 1) / scim.MaxMembersPerPatch; len(patches) != want {
				t.Errorf("%d changes made %d PATCHes, want ⌈k/100⌉ = %d", tt.delta.size(), len(patches), want)
			}
			if diff := cmp.Diff(tt.expected, memberPatchShapes(t, patches)); diff != "" {
				t.Errorf("patches() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMemberValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		members  []scim.Member
		expected []string
	}{
		{name: "none", expected: []string{}},
		{name: "sorted by value", members: []scim.Member{{Value: "b", Display: "Bob"}, {Value: "a", Type: "User"}}, expected: []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.expected, memberValues(tt.members)); diff != "" {
				t.Errorf("memberValues() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
