package scim

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	filter "github.com/scim2/filter-parser/v2"
)

func TestFilterBuilder(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		got  Filter
		want string
	}{
		"eq":              {Eq("userName", "jane@example.com"), `userName eq "jane@example.com"`},
		"quote":           {Eq("userName", `a" or userName pr or "`), `userName eq "a\" or userName pr or \""`},
		"backslash":       {Eq("userName", `dom\user`), `userName eq "dom\\user"`},
		"backslash quote": {Eq("userName", `x\"`), `userName eq "x\\\""`},
		"value path":      {ValuePath("members", Eq("value", `u"1`)), `members[value eq "u\"1"]`},
		"literal":         {Filter(`userName pr`), `userName pr`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tc.got.String() != tc.want {
				t.Errorf("got  %s\nwant %s", tc.got, tc.want)
			}
		})
	}
}

// unquoter undoes quote's escaping of a parsed string value.
var unquoter = strings.NewReplacer(`\\`, `\`, `\"`, `"`)

// FuzzEq checks that whatever the value, Eq yields exactly one comparison of
// that value: a value can never add operators or attributes.
func FuzzEq(f *testing.F) {
	for _, seed := range []string{"jane@example.com", `a" or userName pr or "`, `x" or userName pr or userName eq "y`, `\`, `\"`, `"`, `\\"`, "", "]"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if !utf8.ValidString(value) || strings.ContainsFunc(value, unicode.IsControl) {
			return // outside the domain: quote leaves control characters as they are
		}
		expr, err := filter.ParseFilter([]byte(Eq("userName", value)))
		if err != nil {
			t.Fatalf("Eq(%q) = %s does not parse: %v", value, Eq("userName", value), err)
		}
		cmp, ok := expr.(*filter.AttributeExpression)
		if !ok {
			t.Fatalf("Eq(%q) parsed as %T, want one comparison", value, expr)
		}
		got, _ := cmp.CompareValue.(string)
		if cmp.AttributePath.String() != "userName" || cmp.Operator != filter.EQ || unquoter.Replace(got) != value {
			t.Fatalf("Eq(%q) parsed as %s", value, cmp)
		}
	})
}
