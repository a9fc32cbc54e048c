package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestRotationGuideHandsTheTokenToTheIdP keeps the rotation guide honest
// about handing a new provisioning token to each identity provider (issue
// #21): Entra ID through the azuread provider, in the same apply
// (examples/entra-id); Okta by hand, and why. It reads the generated page,
// docs/guides/, so it also fails when the template changed but `make docs`
// was not run. No Terraform needed.
func TestRotationGuideHandsTheTokenToTheIdP(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("docs/guides/rotating-provisioning-token.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	// The guide used to suggest the okta provider could hand the token over.
	if regexp.MustCompile(`can\s+also\s+be\s+managed\s+with\s+the\s+` + "`okta`").MatchString(guide) {
		t.Error("rotation guide: still says Okta's connector settings can be managed with the okta provider; for the Cisco connector they cannot")
	}
	entra := section(t, guide, "## Handing the token to Entra ID")
	okta := section(t, guide, "## Handing the token to Okta")

	for _, c := range []struct {
		where, text, re, why string
	}{
		{"Entra ID", entra, `azuread_synchronization_secret`, "the resource that writes the token into Entra"},
		{"Entra ID", entra, `azuread_synchronization_job`, "the provisioning job"},
		{"Entra ID", entra, `"BaseAddress"`, "the Tenant URL credential"},
		{"Entra ID", entra, `"SecretToken"`, "the Secret Token credential"},
		{"Entra ID", entra, `examples/entra-id`, "the example that does it"},
		{"Entra ID", entra, `azuread keeps the secret it wrote`, "azuread does not read the secret back"},
		{"Entra ID", entra, `cannot see a token rotated elsewhere`, "a token rotated outside this configuration goes unnoticed"},
		{"Entra ID", entra, `(?i)rotate only through this configuration`, "the rule that follows"},
		{"Okta", okta, `(?i)manual step`, "the hand-over is manual"},
		{"Okta", okta, `Test API Credentials`, "the step in Okta's admin console"},
		{"Okta", okta, `okta_app_connection`, "the Okta provider resource that cannot do it"},
		{"Okta", okta, `Application Connections API`, "the API behind it"},
		{"Okta", okta, `Org2Org`, "the apps it supports"},
		{"Okta", okta, "`UNKNOWN`", "what an unsupported app answers"},
		{"Okta", okta, `401`, "what fails between rotation and hand-over"},
		{"Okta", okta, `(?i)retr(y|ies)`, "what Okta does with the failed pushes"},
		{"Okta", okta, "`rotate_before_days`", "how to schedule a rotation"},
		{"Okta", okta, "`expires_at`", "when the token expires"},
	} {
		// A space in a pattern matches any run of white space: the guide
		// wraps its lines anywhere.
		if !regexp.MustCompile(strings.ReplaceAll(c.re, " ", `\s+`)).MatchString(c.text) {
			t.Errorf("rotation guide, %s section: no match of %s (%s)", c.where, c.re, c.why)
		}
	}
}

// TestEntraExampleHandsBothCredentials checks that examples/entra-id gives
// Entra both credentials of the provisioning job from this provider's
// resources in the same configuration: BaseAddress from the integration's
// provisioning_url and SecretToken from the token resource, so that a
// rotation writes the new token into Entra in the same apply.
func TestEntraExampleHandsBothCredentials(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("examples/entra-id/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	secret := block(t, src, `resource "azuread_synchronization_secret"`)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`key\s*=\s*"BaseAddress"\s*\n\s*value\s*=\s*secureaccess_directory_integration\.\w+\.provisioning_url\s*\n`),
		regexp.MustCompile(`key\s*=\s*"SecretToken"\s*\n\s*value\s*=\s*secureaccess_provisioning_token\.\w+\.token\s*\n`),
	} {
		if !want.MatchString(secret) {
			t.Errorf("examples/entra-id/main.tf: azuread_synchronization_secret does not match %s:\n%s", want, secret)
		}
	}
	job := block(t, src, `resource "azuread_synchronization_job"`)
	for _, want := range []string{"template_id", "depends_on = [azuread_synchronization_secret."} {
		if !strings.Contains(job, want) {
			t.Errorf("examples/entra-id/main.tf: azuread_synchronization_job has no %q:\n%s", want, job)
		}
	}
	if !regexp.MustCompile(`identity_provider\s*=\s*"entra_id"`).MatchString(src) {
		t.Error(`examples/entra-id/main.tf: no directory integration with identity_provider = "entra_id"`)
	}
	if tmpl := block(t, src, `data "azuread_application_template"`); !strings.Contains(tmpl, `display_name = "Cisco User Management for Secure Access"`) {
		t.Errorf("examples/entra-id/main.tf: the gallery app \"Cisco User Management for Secure Access\" is not looked up by name:\n%s", tmpl)
	}
}

// block returns the HCL block of src that starts with header, up to its
// matching closing brace (the examples put no braces in strings).
func block(t *testing.T, src, header string) string {
	t.Helper()
	i := strings.Index(src, header)
	if i < 0 {
		t.Fatalf("no %s block", header)
	}
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return src[i : j+1]
			}
		}
	}
	t.Fatalf("%s block is not closed", header)
	return ""
}
