package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

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
