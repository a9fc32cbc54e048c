package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scimlimits"
)

// lengthError matches the plan-time error of a value one character over
// limit at attribute path attr (as Terraform prints it, wrapped anywhere).
func lengthError(attr string, limit int) *regexp.Regexp {
	words := strings.Fields(fmt.Sprintf("Attribute %s UTF-8 character count must be at most %d, got: %d", attr, limit, limit+1))
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`Invalid Attribute Value Length(?s:.*)` + strings.Join(words, `\s+`))
}

// TestAccSCIMUserResource_tooLong checks that every string attribute of
// secureaccess_scim_user longer than its limit in internal/scimlimits (the
// mock's too) fails at plan with an error naming the attribute and the
// limit, and that the limit counts characters, not bytes.
func TestAccSCIMUserResource_tooLong(t *testing.T) {
	m := newTestTarget(t)
	m.Prefix = "" // plan only, nothing is created; the limits count the whole value
	over := func(n int) string { return strings.Repeat("é", n+1) }
	steps := []struct {
		attr  string
		limit int
		body  string
	}{
		{"user_name", scimlimits.UserName, fmt.Sprintf("user_name = %q", over(scimlimits.UserName))},
		{"display_name", scimlimits.DisplayName, fmt.Sprintf("user_name = \"jane\"\ndisplay_name = %q", over(scimlimits.DisplayName))},
		{"external_id", scimlimits.ExternalID, fmt.Sprintf("user_name = \"jane\"\nexternal_id = %q", over(scimlimits.ExternalID))},
		{"name.given_name", scimlimits.GivenName, fmt.Sprintf("user_name = \"jane\"\nname = { given_name = %q }", over(scimlimits.GivenName))},
		{"name.family_name", scimlimits.FamilyName, fmt.Sprintf("user_name = \"jane\"\nname = { family_name = %q }", over(scimlimits.FamilyName))},
		{"name.formatted", scimlimits.Formatted, fmt.Sprintf("user_name = \"jane\"\nname = { formatted = %q }", over(scimlimits.Formatted))},
		{"emails[0].value", scimlimits.EmailValue, fmt.Sprintf("user_name = \"jane\"\nemails = [{ value = %q }]", strings.Repeat("é", scimlimits.EmailValue-11)+"@example.com")},
		{"native_object_id", scimlimits.NativeObjectID, fmt.Sprintf("user_name = \"jane\"\nnative_object_id = %q", over(scimlimits.NativeObjectID))},
		{"auth_name", scimlimits.AuthName, fmt.Sprintf("user_name = \"jane\"\nauth_name = %q", over(scimlimits.AuthName))},
	}
	tc := resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
	for _, s := range steps {
		tc.Steps = append(tc.Steps, resource.TestStep{
			Config:      scimUserConfig(m, s.body),
			PlanOnly:    true,
			ExpectError: lengthError(s.attr, s.limit),
		})
	}
	// At the limit, in two-byte characters: the plan succeeds.
	tc.Steps = append(tc.Steps, resource.TestStep{
		Config: scimUserConfig(m, fmt.Sprintf("user_name = %q\ndisplay_name = %q\nname = { given_name = %q }",
			strings.Repeat("é", scimlimits.UserName), strings.Repeat("é", scimlimits.DisplayName), strings.Repeat("é", scimlimits.GivenName))),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
	resource.ParallelTest(t, tc)
}

// TestAccSCIMGroupResource_tooLong is TestAccSCIMUserResource_tooLong for
// secureaccess_scim_group.
func TestAccSCIMGroupResource_tooLong(t *testing.T) {
	m := newTestTarget(t)
	m.Prefix = "" // plan only, nothing is created; the limits count the whole value
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      scimGroupConfig(m, strings.Repeat("é", scimlimits.GroupDisplayName+1), ""),
				PlanOnly:    true,
				ExpectError: lengthError("display_name", scimlimits.GroupDisplayName),
			},
			{
				Config:      scimGroupConfig(m, "Engineering", strings.Repeat("x", scimlimits.ExternalID+1)),
				PlanOnly:    true,
				ExpectError: lengthError("external_id", scimlimits.ExternalID),
			},
			{
				Config:             scimGroupConfig(m, strings.Repeat("é", scimlimits.GroupDisplayName), strings.Repeat("é", scimlimits.ExternalID)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
