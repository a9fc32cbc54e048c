package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestResourcePagesSayWhatDestroyDeletes: the first paragraph of each
// resource page that can delete what an identity provider owns says so, in
// bold, before the example: where a user looks first. The modelled-API
// notice (a "~>" paragraph) does not count as the first paragraph.
func TestResourcePagesSayWhatDestroyDeletes(t *testing.T) {
	t.Parallel()
	for page, want := range map[string]*regexp.Regexp{
		"docs/resources/directory_integration.md": regexp.MustCompile(`\*\*Destroying or replacing it deletes every user and group provisioned through it\*\*, including the ones the identity provider pushed.*` + "`deletion_protection`"),
		"docs/resources/scim_user.md":             regexp.MustCompile(`\*\*Destroying or replacing this resource deletes the user in Secure Access\*\*.*the identity provider pushed.*` + "`on_destroy = \"deactivate\"`"),
		"docs/resources/scim_group.md":            regexp.MustCompile(`\*\*Destroying or replacing this resource deletes the group in Secure Access\*\*.*the identity provider pushed`),
		"docs/resources/scim_group_members.md":    regexp.MustCompile(`\*\*It is authoritative: .*removes the members that are not in ` + "`member_ids`" + `, including the ones the identity provider added\*\*`),
		"docs/resources/scim_group_member.md":     regexp.MustCompile(`destroying it removes only this user from the group`),
	} {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if first := firstParagraph(string(b)); !want.MatchString(first) {
			t.Errorf("%s: the first paragraph does not match %q:\n%s", page, want, first)
		}
	}
}

// firstParagraph is the first paragraph after a generated page's title
// that is not a "~>" notice.
func firstParagraph(page string) string {
	_, body, ok := strings.Cut(page, " (Resource)\n")
	if !ok {
		return ""
	}
	for p := range strings.SplitSeq(body, "\n\n") {
		p = strings.TrimSpace(p)
		if p != "" && !strings.HasPrefix(p, "~>") {
			return p
		}
	}
	return ""
}
