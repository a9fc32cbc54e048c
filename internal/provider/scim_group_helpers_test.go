package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

func TestOrderLike(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		current, prior []string
		want           []string
	}{
		{name: "no prior: sorted", current: []string{"c", "a", "b"}, want: []string{"a", "b", "c"}},
		{name: "same values keep prior's order", current: []string{"a", "b", "c"}, prior: []string{"c", "a", "b"}, want: []string{"c", "a", "b"}},
		{name: "gone values drop out", current: []string{"a", "c"}, prior: []string{"c", "b", "a"}, want: []string{"c", "a"}},
		{name: "new values follow, sorted", current: []string{"z", "a", "m", "b"}, prior: []string{"b", "a"}, want: []string{"b", "a", "m", "z"}},
		{name: "duplicates appear once", current: []string{"a", "b", "b"}, prior: []string{"b", "b"}, want: []string{"b", "a"}},
		{name: "empty", current: nil, prior: []string{"a"}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, orderLike(tt.current, tt.prior)); diff != "" {
				t.Errorf("orderLike(%q, %q) mismatch (-want +got):\n%s", tt.current, tt.prior, diff)
			}
		})
	}
}

func TestUniqueStringsValidator(t *testing.T) {
	t.Parallel()
	many := make([]string, 0, 20)
	for i := range 10 {
		id := fmt.Sprintf("u%d", i)
		many = append(many, id, id)
	}
	tests := []struct {
		name    string
		in      types.List
		wantErr string
	}{
		{name: "unique", in: stringList([]string{"a", "b", "c"})},
		{name: "empty", in: stringList(nil)},
		{name: "null", in: types.ListNull(types.StringType)},
		{name: "unknown", in: types.ListUnknown(types.StringType)},
		{name: "unknown elements are not duplicates", in: types.ListValueMust(types.StringType, []attr.Value{types.StringUnknown(), types.StringUnknown()})},
		{name: "one duplicate", in: stringList([]string{"a", "b", "a"}), wantErr: `repeats "a" (elements 0 and 2).`},
		{name: "many duplicates are capped", in: stringList(many), wantErr: `repeats "u0" (elements 0 and 1), "u1" (elements 2 and 3), "u2" (elements 4 and 5), "u3" (elements 6 and 7), "u4" (elements 8 and 9), and 5 more.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := &validator.ListResponse{}
			uniqueStringsValidator{}.ValidateList(context.Background(), validator.ListRequest{Path: path.Root("member_ids"), ConfigValue: tt.in}, resp)
			if tt.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("got %d errors, want 1: %v", resp.Diagnostics.ErrorsCount(), resp.Diagnostics)
			}
			if d := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(d, tt.wantErr) {
				t.Errorf("detail %q does not contain %q", d, tt.wantErr)
			}
		})
	}
}

// BenchmarkUniqueStringsValidator10k compares the linear validator with
// listvalidator.UniqueValues, which compares every pair, on 10,000 IDs.
func BenchmarkUniqueStringsValidator10k(b *testing.B) {
	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i)
	}
	req := validator.ListRequest{Path: path.Root("member_ids"), ConfigValue: stringList(ids)}
	for name, v := range map[string]validator.List{"linear": uniqueStringsValidator{}, "listvalidator.UniqueValues": listvalidator.UniqueValues()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				resp := &validator.ListResponse{}
				v.ValidateList(context.Background(), req, resp)
				if resp.Diagnostics.HasError() {
					b.Fatal(resp.Diagnostics)
				}
			}
		})
	}
}
