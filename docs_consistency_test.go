package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	secureaccess "github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// TestDocsConsistency keeps the user documentation (README.md and the
// generated docs/) from contradicting itself or the facts it depends on
// (issue 21): what Cisco documents about SCIM filters, one way of writing
// the dashboard's menu path, a source for the group limit, no
// implementation notes on the reference pages, a README that covers every
// provider setting and leads with the path that works against a real tenant,
// the Entra ID attribute mapping next to Okta's, and the note on import
// blocks with `identity` that older CLIs reject; and a README and provider
// page short enough to read before a first apply. No Terraform needed; run
// `make docs` after changing templates/, examples/ or a schema description.
func TestDocsConsistency(t *testing.T) {
	t.Parallel()
	docs := readDocs(t)
	readme := docs["README.md"]

	t.Run("externalId filters", func(t *testing.T) {
		t.Parallel()
		for name, doc := range docs {
			for _, p := range paragraphs(doc) {
				p = flat(p)
				if regexp.MustCompile(`(?i)safe\s+(against|with)\s+the\s+real\s+service`).MatchString(p) && strings.Contains(p, "externalId") {
					t.Errorf("%s calls an externalId filter safe against the real service; Cisco documents only userName eq and displayName eq:\n%s", name, p)
				}
				if strings.Contains(p, "externalId eq") && !regexp.MustCompile(`(?i)may (be )?refuse|does not document|not documented`).MatchString(p) {
					t.Errorf("%s mentions an externalId eq filter without saying that the real service may refuse it:\n%s", name, p)
				}
			}
		}
	})

	t.Run("dashboard menu path", func(t *testing.T) {
		t.Parallel()
		const want = "Connect > Users, Groups and Endpoint Devices > Configuration Management > Integrate directory"
		// Any other menu path to "Integrate directory": a ">" or "→" right
		// before or after it, once the one form is taken out.
		other := regexp.MustCompile(`[^.:;(|\n]{0,60}(?:>|→|&gt;)\s*Integrate directory|Integrate directory\s*(?:>|→|&gt;)[^.;)|\n]{0,60}`)
		var found bool
		for name, doc := range docs {
			plain := strings.NewReplacer("*", "", "`", "").Replace(flat(doc))
			found = found || strings.Contains(plain, want)
			for _, m := range other.FindAllString(strings.ReplaceAll(plain, want, "[the menu path]"), -1) {
				t.Errorf("%s writes the dashboard menu path another way (%q); write it as %q everywhere", name, strings.TrimSpace(m), want)
			}
		}
		if !found {
			t.Errorf("no document gives the dashboard menu path %q", want)
		}
	})

	t.Run("group limit has its source", func(t *testing.T) {
		t.Parallel()
		limit := regexp.MustCompile(`\b1,?000\b`)
		claim := regexp.MustCompile(`(?i)\b(most|maximum|limit(ed)?|holds|up to)\b`)
		source := regexp.MustCompile(`(?is)Provision Users and Groups.*\b200\b|\b200\b.*Provision Users and Groups`)
		for name, doc := range docs {
			for _, p := range paragraphs(doc) {
				p = flat(p)
				if limit.MatchString(p) && strings.Contains(strings.ToLower(p), "group") && claim.MatchString(p) && !source.MatchString(p) {
					t.Errorf("%s states the 1,000-group limit without its source (Cisco's \"Provision Users and Groups\" pages; older pages say 200):\n%s", name, p)
				}
			}
		}
	})

	t.Run("no implementation timings on reference pages", func(t *testing.T) {
		t.Parallel()
		timing := regexp.MustCompile(`(?i)\b(took|takes|taking)\b[^.\n]{0,60}?(\b\d+(\.\d+)?\s*(ms|s|seconds?|minutes?)\b|\bseconds\b|\bminutes\b)|\bin seconds where\b`)
		for name, doc := range docs {
			if !strings.HasPrefix(name, "docs/resources/") && !strings.HasPrefix(name, "docs/data-sources/") && !strings.HasPrefix(name, "docs/list-resources/") {
				continue
			}
			for _, m := range timing.FindAllString(doc, -1) {
				t.Errorf("%s carries an implementation timing (%q): move it to a code comment, BENCHMARKS.md or CONTRIBUTING.md", name, m)
			}
		}
	})

	t.Run("README covers every provider setting", func(t *testing.T) {
		t.Parallel()
		var resp provider.SchemaResponse
		secureaccess.New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
		rows := map[string]string{} // attribute => its README table row
		for line := range strings.SplitSeq(section(t, readme, "## Using the provider"), "\n") {
			if !strings.HasPrefix(line, "| `") {
				continue
			}
			first, _, _ := strings.Cut(strings.TrimPrefix(line, "|"), "|")
			for _, a := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(first, -1) {
				rows[a[1]] = line
			}
		}
		envVar := regexp.MustCompile("`(SECUREACCESS_[A-Z_]+)` environment variable")
		for name, attr := range resp.Schema.Attributes {
			row, ok := rows[name]
			if !ok {
				t.Errorf("README.md's provider table has no row for %s", name)
				continue
			}
			for _, m := range envVar.FindAllStringSubmatch(attr.GetMarkdownDescription(), -1) {
				if !strings.Contains(row, m[1]) {
					t.Errorf("README.md's provider table row of %s lacks its environment variable %s:\n%s", name, m[1], row)
				}
			}
		}
		if d := resp.Schema.Attributes["insecure_http"].GetMarkdownDescription(); !strings.Contains(d, "`SECUREACCESS_INSECURE_HTTP` environment variable") {
			t.Errorf("insecure_http has no environment variable in its description: %s", d)
		}
		if !regexp.MustCompile("make test[^\n]*about 5 minutes").MatchString(readme) {
			t.Error("README.md does not say that make test takes about 5 minutes")
		}
	})

	t.Run("README leads with the real-tenant example", func(t *testing.T) {
		t.Parallel()
		using := section(t, readme, "## Using the provider")
		first := regexp.MustCompile(`examples/[a-z0-9-]+`).FindString(using)
		if first != "examples/real-tenant" {
			t.Errorf("README.md's \"Using the provider\" names %q first, want examples/real-tenant", first)
		}
		token, bootstrap := strings.Index(using, "SECUREACCESS_SCIM_TOKEN"), strings.Index(using, "bootstrap")
		if token < 0 || bootstrap >= 0 && bootstrap < token {
			t.Error("README.md's \"Using the provider\" must start with the dashboard token (SECUREACCESS_SCIM_TOKEN), before the bootstrap")
		}
		if _, err := os.Stat("examples/real-tenant/main.tf"); err != nil {
			t.Error(err)
		}
	})

	t.Run("Entra ID mapping beside Okta's", func(t *testing.T) {
		t.Parallel()
		var found bool
		for _, s := range sections(docs["docs/guides/okta-and-entra-id.md"]) {
			s = flat(s)
			if strings.Contains(s, "Okta") && strings.Contains(s, "Entra ID") && strings.Contains(s, "userPrincipalName") &&
				strings.Contains(s, "mailNickname") && strings.Contains(s, "objectId") &&
				regexp.MustCompile("(?s)filters? only on `userName`.*`displayName`").MatchString(s) {
				found = true
			}
		}
		if !found {
			t.Error("docs/guides/okta-and-entra-id.md has no section with the Entra ID attribute mapping (userPrincipalName, mailNickname, objectId; filters only on userName and displayName) beside Okta's")
		}
	})

	t.Run("short pages before the first apply", func(t *testing.T) {
		t.Parallel()
		// What a new user reads before a first apply: the README takes
		// them there, the provider page says what works; the rest is in
		// guides and CONTRIBUTING.md, which they link.
		for name, most := range map[string]int{"README.md": 1000, "docs/index.md": 1500} {
			if n := len(strings.Fields(docs[name])); n > most {
				t.Errorf("%s has %d words, more than %d: move what a first apply does not need to a guide or CONTRIBUTING.md", name, n, most)
			}
		}
	})

	t.Run("identity in generated import blocks", func(t *testing.T) {
		t.Parallel()
		guide := docs["docs/guides/import-provisioned-identities.md"]
		var note string
		for _, p := range paragraphs(guide) {
			if strings.Contains(p, "identity") && strings.Contains(p, "1.11") && strings.Contains(p, "OpenTofu") && strings.Contains(p, "reject") {
				note = p
			}
		}
		if note == "" {
			t.Fatal("the import guide does not say that Terraform 1.11 and OpenTofu reject `identity` in generated import blocks")
		}
		// The guide's one-liner, run on the guide's sample of what
		// -generate-config-out writes, must leave import blocks by id.
		cmd := regexp.MustCompile(`(?m)^perl -0pi -e '[^'\n]+' generated\.tf$`).FindString(guide)
		sample := regexp.MustCompile("(?s)```terraform\n(resource \"secureaccess_scim_group\" \"okta_0\" \\{.*?identity = \\{.*?\n)```").FindStringSubmatch(guide)
		if cmd == "" || sample == nil {
			t.Fatalf("the import guide lacks the one-liner (perl -0pi -e '...' generated.tf: %q) or the sample of generated blocks (%v)", cmd, sample != nil)
		}
		if _, err := exec.LookPath("perl"); err != nil {
			t.Skip("perl is not on PATH: the one-liner is not run")
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "generated.tf"), []byte(sample[1]), 0o600); err != nil {
			t.Fatal(err)
		}
		run := exec.CommandContext(t.Context(), "sh", "-c", cmd)
		run.Dir = dir
		if out, err := run.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
		got, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(got), "identity") || !regexp.MustCompile(`(?m)^  id       = "[^"]+"$`).Match(got) {
			t.Errorf("the one-liner leaves:\n%s", got)
		}
	})
}

// readDocs returns README.md and every markdown file under docs/, by path.
func readDocs(t *testing.T) map[string]string {
	t.Helper()
	docs := map[string]string{}
	err := filepath.WalkDir("docs", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		b, err := os.ReadFile(path)
		docs[filepath.ToSlash(path)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	docs["README.md"] = string(b)
	return docs
}

// paragraphs splits markdown at blank lines: a paragraph, a list without
// blank lines between its items, or a block of code comments.
func paragraphs(doc string) []string {
	return regexp.MustCompile(`\n[ \t]*\n`).Split(strings.ReplaceAll(doc, "\r\n", "\n"), -1)
}

// flat is text with the comment markers of code blocks ("#", "//") at
// line starts dropped and every run of white space made one space, so that
// a phrase matches whatever the line breaks.
func flat(text string) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`(?m)^[ \t]*(#|//)`).ReplaceAllString(text, "")), " ")
}

// sections splits markdown before each "## " heading.
func sections(doc string) []string {
	return regexp.MustCompile(`(?m)^## `).Split(doc, -1)
}
