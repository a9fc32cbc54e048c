package provider

import "testing"

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
