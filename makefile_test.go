package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestMakefileScriptsExist: every script GNUmakefile runs is in the
// repository, so renaming or removing one breaks a test, not a target.
func TestMakefileScriptsExist(t *testing.T) {
	t.Parallel()
	scripts := regexp.MustCompile(`\./((?:scripts|bench)/[\w.-]+\.sh)\b`).FindAllStringSubmatch(readFile(t, "GNUmakefile"), -1)
	if len(scripts) == 0 {
		t.Fatal("GNUmakefile runs no ./scripts/*.sh: has the layout changed?")
	}
	for _, m := range scripts {
		if _, err := os.Stat(m[1]); err != nil {
			t.Errorf("GNUmakefile runs ./%s: %v", m[1], err)
		}
	}
}

// TestMakeTargetsDocumented: every target GNUmakefile declares has a row
// in CONTRIBUTING.md's table of make targets, which says when to use it.
func TestMakeTargetsDocumented(t *testing.T) {
	t.Parallel()
	targets := regexp.MustCompile(`(?m)^\.PHONY: ([a-z0-9-]+)$`).FindAllStringSubmatch(readFile(t, "GNUmakefile"), -1)
	if len(targets) < 10 {
		t.Fatalf("GNUmakefile declares %d .PHONY targets: has the layout changed?", len(targets))
	}
	var rows []string
	for line := range strings.SplitSeq(section(t, readFile(t, "CONTRIBUTING.md"), "## Make targets"), "\n") {
		if strings.HasPrefix(line, "| `make ") {
			first, _, _ := strings.Cut(strings.TrimPrefix(line, "|"), "|")
			rows = append(rows, first)
		}
	}
	for _, m := range targets {
		var found bool
		for _, first := range rows {
			found = found || strings.Contains(first, "`make "+m[1]+"`")
		}
		if !found {
			t.Errorf("make %s has no row in CONTRIBUTING.md's \"Make targets\" table", m[1])
		}
	}
}
