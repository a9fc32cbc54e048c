package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// maxDescriptionWords is the most words an attribute's description may
// have: what the attribute is and its default, in a sentence or two. The
// why, the trade-offs and the measurements belong in a guide, which the
// description may name.
const maxDescriptionWords = 80

// TestAttributeDescriptionsAreShort counts the words of the description of
// every attribute the provider serves (provider, resources, data sources,
// list resources, nested attributes included), as the Registry renders
// them on the reference pages.
func TestAttributeDescriptionsAreShort(t *testing.T) {
	t.Parallel()
	srv := providerserver.NewProtocol6(New("test")())()
	schemas, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]*tfprotov6.Schema{"provider": schemas.Provider}
	for kind, m := range map[string]map[string]*tfprotov6.Schema{
		"resource": schemas.ResourceSchemas, "data source": schemas.DataSourceSchemas, "list resource": schemas.ListResourceSchemas,
	} {
		for name, s := range m {
			all[kind+" "+name] = s
		}
	}
	long := map[string]int{}
	var walk func(path string, attrs []*tfprotov6.SchemaAttribute)
	walk = func(path string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			p := path + "." + a.Name
			if n := len(strings.Fields(a.Description)); n > maxDescriptionWords {
				long[p] = n
			}
			if a.NestedType != nil {
				walk(p, a.NestedType.Attributes)
			}
		}
	}
	var attributes int
	for name, s := range all {
		walk(name, s.Block.Attributes)
		attributes += len(s.Block.Attributes)
	}
	if attributes < 50 {
		t.Fatalf("walked %d top-level attributes in %d schemas: has the schema walk broken?", attributes, len(all))
	}
	var lines []string
	for p, n := range long {
		lines = append(lines, fmt.Sprintf("%s: %d words", p, n))
	}
	sort.Strings(lines)
	if len(lines) > 0 {
		t.Errorf("%d attribute descriptions have more than %d words; say what the attribute is and its default, and move the rest to a guide:\n%s",
			len(lines), maxDescriptionWords, strings.Join(lines, "\n"))
	}
}
