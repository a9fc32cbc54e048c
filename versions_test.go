package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVersionClaimsAgree keeps the minimum Go, Terraform and OpenTofu
// versions the same everywhere they are stated: README.md's Requirements
// (the one place people read), go.mod, the messages of .ci/run,
// CONTRIBUTING.md (how to run the acceptance tests), the examples'
// required_version (versions.tf for Terraform, versions.tofu for OpenTofu)
// and the OpenTofu version that scripts/build-tofu.sh builds for make
// test-tofu. No Terraform needed.
func TestVersionClaimsAgree(t *testing.T) {
	t.Parallel()
	readme := readFile(t, "README.md")
	req := section(t, readme, "## Requirements")

	// The minimums, as README.md's Requirements states them.
	goMin := only(t, "README.md Requirements", req, `Go (\d+\.\d+) or newer`)
	tfMin := only(t, "README.md Requirements", req, `Terraform (\d+\.\d+) or newer`)
	tofuMin := only(t, "README.md Requirements", req, `OpenTofu (\d+\.\d+) or newer`)
	tofuTested := only(t, "README.md Requirements", req, `OpenTofu (\d+\.\d+\.\d+) is tested`)

	// go.mod's go line is what the go command enforces.
	if got := only(t, "go.mod", readFile(t, "go.mod"), `(?m)^go (\d+\.\d+)(?:\.\d+)?$`); got != goMin {
		t.Errorf("go.mod says go %s, README.md says Go %s or newer", got, goMin)
	}

	// Every "Go X or newer", "Terraform X or newer/later" and "OpenTofu X or
	// newer" in the prose people read says the same.
	prose := map[string]string{
		"README.md":       readme,
		".ci/run":         readFile(t, ".ci/run"),
		"CONTRIBUTING.md": readFile(t, "CONTRIBUTING.md"),
	}
	claims := []struct {
		what, re, want string
	}{
		{"Go", `\bGo (\d+(?:\.\d+)+) or (?:newer|later)`, goMin},
		{"Terraform", `\bTerraform (\d+(?:\.\d+)+) or (?:newer|later)`, tfMin},
		{"OpenTofu", `\bOpenTofu (\d+(?:\.\d+)+) or (?:newer|later)`, tofuMin},
	}
	for name, text := range prose {
		for _, c := range claims {
			for _, m := range regexp.MustCompile(c.re).FindAllStringSubmatch(text, -1) {
				if m[1] != c.want {
					t.Errorf("%s: %q, but README.md's Requirements says %s %s or newer", name, m[0], c.what, c.want)
				}
			}
		}
	}
	ci := prose[".ci/run"]
	for _, want := range []string{"install Go " + goMin + " or newer", "install Terraform " + tfMin + " or newer"} {
		if !strings.Contains(ci, want) {
			t.Errorf(".ci/run does not say %q", want)
		}
	}

	// Every example that sets required_version says the same: Terraform
	// reads *.tf, OpenTofu reads a *.tofu file instead of its *.tf twin.
	requiredVersion := regexp.MustCompile(`required_version\s*=\s*"([^"]*)"`)
	files, err := filepath.Glob("examples/*/*")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, f := range files {
		var want string
		switch filepath.Ext(f) {
		case ".tf":
			want = ">= " + tfMin + ".0"
		case ".tofu":
			want = ">= " + tofuMin + ".0"
		default:
			continue
		}
		for _, m := range requiredVersion.FindAllStringSubmatch(readFile(t, f), -1) {
			seen[filepath.Ext(f)]++
			if m[1] != want {
				t.Errorf("%s: required_version = %q, want %q (README.md, Requirements)", f, m[1], want)
			}
			if filepath.Ext(f) == ".tf" {
				if _, err := os.Stat(strings.TrimSuffix(f, ".tf") + ".tofu"); err != nil {
					t.Errorf("%s sets required_version for Terraform but has no .tofu twin for OpenTofu: %v", f, err)
				}
			}
		}
	}
	if seen[".tf"] == 0 || seen[".tofu"] == 0 {
		t.Errorf("no required_version found in examples/*/*.tf and *.tofu (found %v): has the layout changed?", seen)
	}

	// make test-tofu builds the version README.md says is tested.
	built := only(t, "scripts/build-tofu.sh", readFile(t, "scripts/build-tofu.sh"), `TOFU_VERSION:-(\d+\.\d+\.\d+)`)
	if built != tofuTested {
		t.Errorf("scripts/build-tofu.sh builds OpenTofu %s, README.md says %s is tested", built, tofuTested)
	}
	if !strings.HasPrefix(tofuTested, tofuMin+".") {
		t.Errorf("README.md: the tested OpenTofu %s is not the minimum %s", tofuTested, tofuMin)
	}
}

// section returns the markdown section of doc that starts with heading,
// up to the next heading of the same level.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("no %q section", heading)
	}
	level := heading[:strings.IndexByte(heading, ' ')+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// only returns the first group of the single match of re in text, and fails
// the test when re matches none or several times.
func only(t *testing.T, where, text, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindAllStringSubmatch(text, -1)
	if len(m) != 1 {
		t.Fatalf("%s: want one match of %s, got %d", where, re, len(m))
	}
	return m[0][1]
}

// TestToolVersionsAgree: the goreleaser that make release-check runs
// (GNUmakefile's GORELEASER_VERSION) is the one the release workflow runs
// on a tag, and the one CONTRIBUTING.md's Releasing names; otherwise the check
// would pass on a configuration the release then builds differently.
func TestToolVersionsAgree(t *testing.T) {
	t.Parallel()
	pinned := only(t, "GNUmakefile", readFile(t, "GNUmakefile"), `(?m)^GORELEASER_VERSION \?= (v\d+\.\d+\.\d+)$`)
	workflow := only(t, ".github/workflows/release.yml", readFile(t, ".github/workflows/release.yml"),
		`uses: goreleaser/goreleaser-action@[0-9a-f]{40} # v\S+\n(?:\s+#.*\n|\s+with:\n)*\s+version: (v\S+)\n`)
	if workflow != pinned {
		t.Errorf(".github/workflows/release.yml runs goreleaser %s, make release-check %s (GNUmakefile GORELEASER_VERSION)", workflow, pinned)
	}
	releasing := section(t, readFile(t, "CONTRIBUTING.md"), "## Releasing")
	named := regexp.MustCompile(`goreleaser\s+\(?(v\d+\.\d+\.\d+)`).FindAllStringSubmatch(releasing, -1)
	if len(named) == 0 {
		t.Errorf("CONTRIBUTING.md's Releasing names no goreleaser version")
	}
	for _, m := range named {
		if m[1] != pinned {
			t.Errorf("CONTRIBUTING.md's Releasing: %q, but make release-check runs %s", m[0], pinned)
		}
	}
}

// readFile returns the file's content, or fails the test.
func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
