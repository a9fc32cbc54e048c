package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitImportID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, key   string
		wantValue string
		wantByKey bool
	}{
		{"2819c223-7f76-453a-919d-413861904646", "user_name", "2819c223-7f76-453a-919d-413861904646", false},
		{"user_name=jane@example.com", "user_name", "jane@example.com", true},
		{"user_name=a=b", "user_name", "a=b", true},
		{"display_name=Engineering", "user_name", "display_name=Engineering", false},
		{"display_name=", "display_name", "", true},
	}
	for _, tt := range tests {
		v, byKey := splitImportID(tt.id, tt.key)
		if v != tt.wantValue || byKey != tt.wantByKey {
			t.Errorf("splitImportID(%q, %q) = (%q, %v), want (%q, %v)", tt.id, tt.key, v, byKey, tt.wantValue, tt.wantByKey)
		}
	}
}

func TestParseMemberID(t *testing.T) {
	t.Parallel()
	type parts struct{ GroupID, UserID string }
	tests := []struct {
		name   string
		id     string
		want   parts
		wantOK bool
	}{
		{name: "group and user", id: "g1/u1", want: parts{"g1", "u1"}, wantOK: true},
		{name: "no separator", id: "g1"},
		{name: "empty group", id: "/u1"},
		{name: "empty user", id: "g1/"},
		{name: "three parts", id: "g1/u1/x"},
		{name: "empty", id: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			groupID, userID, ok := parseMemberID(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("parseMemberID(%q) ok = %t, want %t", tt.id, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, parts{groupID, userID}); diff != "" {
				t.Errorf("parseMemberID(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestFormatMemberID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		groupID, userID string
		want            string
	}{
		{name: "short", groupID: "g1", userID: "u1", want: "g1/u1"},
		{name: "UUIDs", groupID: "6c1f0b2e-1", userID: "0d9e6a4c-2", want: "6c1f0b2e-1/0d9e6a4c-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, formatMemberID(tt.groupID, tt.userID)); diff != "" {
				t.Errorf("formatMemberID() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
