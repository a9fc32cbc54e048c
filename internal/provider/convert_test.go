package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

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
