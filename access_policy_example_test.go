package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAccessPolicyExampleUsesTheGroupIdentity checks, without Terraform,
// that examples/access-policy grants the group it provisions access by its
// identity ID: the access rule's source_ids come from the
// secureaccess_identities data source, which searches for that group (so
// it is read after the group exists), and a postcondition on the data
// source stops the apply before the rule while the Reports API does not
// list the group yet, saying to apply again. make validate-cisco checks the
// same configuration against both providers' schemas.
func TestAccessPolicyExampleUsesTheGroupIdentity(t *testing.T) {
	t.Parallel()
	const file = "examples/access-policy/main.tf"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)

	// source_ids = [for i in data.secureaccess_identities.NAME.identities : i.id if ...]
	rule := block(t, src, `resource "ciscosecureaccess_access_policy"`)
	m := regexp.MustCompile(`\n\s*source_ids\s*=\s*\[for (\w+) in data\.secureaccess_identities\.(\w+)\.identities\s*:\s*(\w+)\.id\b`).FindStringSubmatch(rule)
	if m == nil || m[1] != m[3] {
		t.Fatalf("%s: the access rule's source_ids are not the IDs of data.secureaccess_identities:\n%s", file, rule)
	}
	for _, want := range []string{`action `, `"allow"`, `private_resource_ids`} {
		if !strings.Contains(rule, want) {
			t.Errorf("%s: the access rule has no %s:\n%s", file, want, rule)
		}
	}

	ids := block(t, src, `data "secureaccess_identities" "`+m[2]+`"`)
	search := regexp.MustCompile(`\n\s*search\s*=\s*secureaccess_scim_group\.(\w+)\.display_name\s*\n`).FindStringSubmatch(ids)
	if search == nil {
		t.Fatalf("%s: data.secureaccess_identities.%s does not search for a secureaccess_scim_group's display_name:\n%s", file, m[2], ids)
	}
	if !regexp.MustCompile(`\n\s*types\s*=\s*\["directory_group"\]`).MatchString(ids) {
		t.Errorf("%s: data.secureaccess_identities.%s does not select directory groups:\n%s", file, m[2], ids)
	}
	group := search[1]
	if !regexp.MustCompile(`\n\s*group_id\s*=\s*secureaccess_scim_group\.` + group + `\.id\s*\n\s*member_ids\s*=`).MatchString(block(t, src, `resource "secureaccess_scim_group_members"`)) {
		t.Errorf("%s: the group %s has no members", file, group)
	}

	// The ordering guard: a postcondition that the group is listed, whose
	// message tells what to do.
	post := block(t, ids, "postcondition")
	if !regexp.MustCompile(`condition\s*=\s*length\(\[for \w+ in self\.identities\b[^\n]*\]\)\s*>\s*0\s*\n`).MatchString(post) {
		t.Errorf("%s: the first postcondition of data.secureaccess_identities.%s does not require the group's identity to be listed:\n%s", file, m[2], post)
	}
	msg := regexp.MustCompile(`error_message\s*=\s*"([^\n]*)"\s*\n`).FindStringSubmatch(post)
	if msg == nil || !strings.Contains(msg[1], "not list") || !strings.Contains(msg[1], "apply again") {
		t.Errorf("%s: the postcondition's error_message does not say that the identity is not listed yet and to apply again:\n%s", file, post)
	}
	// What happens on a tenant that lists the group late is written down.
	if !strings.Contains(src, "# Ordering.") {
		t.Errorf("%s: no \"# Ordering.\" comment on what happens when the Reports API lists the group late", file)
	}
}
