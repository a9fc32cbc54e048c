package scimlimits

import (
	"strings"
	"testing"
)

func TestLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    string
		want int
	}{
		{name: "empty", s: "", want: 0},
		{name: "ASCII", s: "jane@example.com", want: 16},
		{name: "two-byte runes", s: strings.Repeat("é", 10), want: 10},
		{name: "four-byte rune", s: "😀", want: 1},
		{name: "invalid byte", s: "a\xffb", want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Len(tt.s); got != tt.want {
				t.Errorf("Len(%q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}
