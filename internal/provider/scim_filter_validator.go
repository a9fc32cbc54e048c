package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	filter "github.com/scim2/filter-parser/v2"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// scimFilterValidator checks at plan time that a filter attribute holds a
// SCIM filter (RFC 7644 section 3.4.2.2), as github.com/scim2/filter-parser
// parses it, once surrounding whitespace is trimmed (what scimFilterOf
// sends). A malformed filter is one error on the attribute, in words, with
// a hint for the common mistakes, instead of a 400 invalidFilter from the
// service at refresh or query time. Whether the service supports a valid
// filter is not checked: Secure Access documents only userName eq and
// displayName eq, and other services support more.
type scimFilterValidator struct {
	// example is a filter on the attribute the service documents for the
	// resource, such as userName eq "jane.doe@example.com".
	example string
}

var _ validator.String = scimFilterValidator{}

// scimFilter is the validator of a filter over the objects whose example
// filter is example.
func scimFilter(example string) scimFilterValidator {
	return scimFilterValidator{example: example}
}

// scimFilterOf is the filter sent for a filter attribute: its value without
// surrounding whitespace, which is what scimFilterValidator parsed.
func scimFilterOf(v types.String) scim.Filter {
	return scim.Filter(strings.TrimSpace(v.ValueString()))
}

func (v scimFilterValidator) Description(context.Context) string {
	return "value must be a SCIM filter (RFC 7644, section 3.4.2.2), such as " + v.example
}

func (v scimFilterValidator) MarkdownDescription(context.Context) string {
	return "value must be a SCIM filter (RFC 7644, section 3.4.2.2), such as `" + v.example + "`"
}

func (v scimFilterValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	f := strings.TrimSpace(raw)
	if f == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SCIM Filter",
			"The filter is empty. Leave filter unset (remove it or set it to null) to list them all, "+
				"or write a SCIM filter (RFC 7644, section 3.4.2.2), such as "+v.example+".")
		return
	}
	if _, err := filter.ParseFilter([]byte(f)); err == nil {
		return
	}
	var b strings.Builder
	b.WriteString("This filter is not a SCIM filter (RFC 7644, section 3.4.2.2):\n\n  ")
	b.WriteString(quoteFilter(f))
	b.WriteString("\n\n")
	for _, h := range scimFilterHints(f, v.example) {
		b.WriteString("- " + h + "\n")
	}
	b.WriteString("\nA SCIM filter compares an attribute with a value, ATTRIBUTE OPERATOR VALUE, such as\n\n  " + v.example + "\n\n" +
		"Operators are words: eq, ne, co, sw, ew, gt, ge, lt, le; pr (present) takes no value. " +
		"String values take double quotes (write \\\" for a quote inside one); true, false, null and numbers take none. " +
		"Comparisons combine with and, or, not and parentheses, such as " + v.example + " or title pr.")
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid SCIM Filter", b.String())
}

// quoteFilter is f as the error shows it on a line of its own: as it is,
// or quoted with Go escapes when it holds characters that would not show
// (tabs, line breaks).
func quoteFilter(f string) string {
	if strings.IndexFunc(f, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
		return strconv.Quote(f)
	}
	return f
}

// scimComparisons are the comparison operators that take a value.
var scimComparisons = map[string]bool{"eq": true, "ne": true, "co": true, "sw": true, "ew": true, "gt": true, "ge": true, "lt": true, "le": true}

// scimNumber matches a JSON number, a value that takes no quotes.
var scimNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// scimFilterHints says what is likely wrong with f, a filter that does not
// parse, for the common mistakes; none when it cannot tell. It does not
// decide validity (filter.ParseFilter does): it only looks at the text
// outside double-quoted strings for things no SCIM filter has there.
func scimFilterHints(f, example string) []string {
	// outside is f with each double-quoted string replaced by "".
	var outside strings.Builder
	inString, escaped := false, false
	for _, r := range f {
		switch {
		case escaped:
			escaped = false
		case inString && r == '\\':
			escaped = true
		case inString:
			inString = r != '"'
		case r == '"':
			inString = true
			outside.WriteString(`""`)
		default:
			outside.WriteRune(r)
		}
	}
	out := outside.String()
	words := strings.FieldsFunc(out, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '[' || r == ']' })
	lower := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return strings.ToLower(words[i])
	}

	var hints []string
	if inString {
		hints = append(hints, `a string is not closed: every " that opens a string value needs a closing " (write \" for a quote inside the string)`)
	}
	unquoted := ""
	for i := 1; i < len(words); i++ {
		w := words[i]
		if scimComparisons[lower(i-1)] && w != `""` && !scimNumber.MatchString(w) && !strings.Contains(w, "'") {
			switch strings.ToLower(w) {
			case "true", "false", "null":
			default:
				if unquoted == "" {
					unquoted = w
				}
			}
		}
	}
	switch {
	case strings.Contains(out, "'"):
		hints = append(hints, "string values take double quotes, not single quotes: write \"x\", not 'x'")
	case unquoted != "":
		hints = append(hints, fmt.Sprintf("string values take double quotes: the value %s has none (only true, false, null and numbers go without)", unquoted))
	}
	if strings.ContainsAny(out, "=!<>~") {
		hints = append(hints, "operators are words: eq, ne, co, sw, ew, gt, ge, lt, le, pr, not symbols such as =, == or !=")
	}
	if strings.ContainsAny(out, "&|") {
		hints = append(hints, "and, or and not are words, not symbols such as && or ||")
	}
	if n := len(words); n > 0 {
		switch last := lower(n - 1); {
		case last == "and" || last == "or" || last == "not":
			hints = append(hints, fmt.Sprintf("%q at the end has nothing after it: add a comparison after it or remove it", words[n-1]))
		case scimComparisons[last]:
			attr := strings.Fields(example)[0]
			if n > 1 {
				attr = words[n-2]
			}
			hints = append(hints, fmt.Sprintf("the operator %s at the end needs a value after it, such as %s %s \"x\" (or use pr, which takes none)", words[n-1], attr, words[n-1]))
		}
		if first := lower(0); first == "and" || first == "or" {
			hints = append(hints, fmt.Sprintf("%q at the start has nothing before it: put a comparison before it or remove it", words[0]))
		}
	}
	for i := 2; i < len(words); i++ {
		op, value := lower(i-1), lower(i)
		if (value == `""` || scimNumber.MatchString(value) || value == "true" || value == "false" || value == "null") &&
			!scimComparisons[op] && op != "pr" && op != "and" && op != "or" && op != "not" && !strings.ContainsAny(op, "=!<>~&|'\"") {
			hints = append(hints, fmt.Sprintf("%s is not a SCIM operator", words[i-1]))
			break
		}
	}
	if strings.ContainsAny(out, "\t\n\r") {
		hints = append(hints, "separate the words with spaces: tabs and line breaks are not allowed between them")
	}
	if o, c := strings.Count(out, "("), strings.Count(out, ")"); o != c {
		hints = append(hints, fmt.Sprintf("the parentheses do not match: %d opened, %d closed", o, c))
	}
	if o, c := strings.Count(out, "["), strings.Count(out, "]"); o != c {
		hints = append(hints, fmt.Sprintf("the brackets do not match: %d opened, %d closed", o, c))
	}
	return hints
}
