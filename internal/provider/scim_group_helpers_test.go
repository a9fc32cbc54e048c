package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
