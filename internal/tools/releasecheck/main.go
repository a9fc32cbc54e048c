// Command releasecheck checks what goreleaser left in dist/ against what
// the Terraform Registry expects of a provider release, and fails when
// anything is off:
//
//   - one zip per platform, named <project>_<version>_<os>_<arch>.zip, for
//     exactly the platforms .goreleaser.yml builds (-platforms);
//   - in each zip, the binary <project>_v<version> (.exe on Windows) at the
//     top level, built for that zip's OS and architecture, carrying the
//     version (main.version, set by -ldflags -X);
//   - <project>_<version>_SHA256SUMS listing every zip and the manifest,
//     each with the SHA-256 of its bytes, and nothing it cannot account for;
//   - the manifest, <project>_<version>_manifest.json, a copy of
//     terraform-registry-manifest.json, on protocol version 6.0 only.
//
// With -source-build FILE, the binary of one platform's zip
// (-source-platform) must be byte for byte FILE, a build of the same
// source outside goreleaser (scripts/build-mirror.sh, as a user or a
// filesystem mirror builds it): then anyone can rebuild a release with the
// same Go version and check it.
//
// The project name and version come from dist/metadata.json, which
// goreleaser writes (-version overrides the version).
//
// Usage: go run ./internal/tools/releasecheck [-dist dist] [-manifest
// terraform-registry-manifest.json] [-platforms os_arch,...]
// [-source-build FILE -source-platform os_arch]
// (make release-check runs it after a snapshot release).
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// defaultPlatforms are the platforms .goreleaser.yml builds: its goos ×
// goarch, less its ignore list and the ports Go itself no longer has
// (windows/arm went in Go 1.26).
var defaultPlatforms = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

// wantProtocols is the manifest's metadata.protocol_versions: the provider
// serves protocol 6 only (terraform-plugin-framework, providerserver).
var wantProtocols = []string{"6.0"}

func main() {
	dist := flag.String("dist", "dist", "goreleaser's output `directory`")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest `file` the release copies")
	platforms := flag.String("platforms", strings.Join(defaultPlatforms, ","), "the `os_arch` platforms the release must have, comma-separated")
	version := flag.String("version", "", "the release `version` (default: dist/metadata.json's)")
	sourceBuild := flag.String("source-build", "", "a `file` built from the same source outside goreleaser, which -source-platform's binary must equal")
	sourcePlatform := flag.String("source-platform", "", "the `os_arch` of -source-build")
	flag.Parse()

	cfg := config{Dist: *dist, Manifest: *manifest, Version: *version, SourcePlatform: *sourcePlatform}
	if *sourceBuild != "" {
		data, err := os.ReadFile(*sourceBuild)
		if err != nil {
			fmt.Fprintln(os.Stderr, "releasecheck:", err)
			os.Exit(1)
		}
		cfg.SourceBuild = data
	}
	for p := range strings.SplitSeq(*platforms, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.Platforms = append(cfg.Platforms, p)
		}
	}
	sum, err := check(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck: FAILED:")
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("releasecheck:", sum)
}

// config is what check is asked to verify.
type config struct {
	Dist      string   // goreleaser's dist directory
	Manifest  string   // terraform-registry-manifest.json
	Platforms []string // os_arch the release must have, no more, no less
	Version   string   // empty: metadata.json's
	// SourceBuild, when set, is what SourcePlatform's binary must be.
	SourceBuild    []byte
	SourcePlatform string
}

// metadata is the part of dist/metadata.json check reads.
type metadata struct {
	ProjectName string `json:"project_name"`
	Version     string `json:"version"`
}

// check verifies cfg.Dist and returns a one-line summary, or every problem
// it found, one per line.
func check(cfg config) (string, error) {
	var meta metadata
	raw, err := os.ReadFile(filepath.Join(cfg.Dist, "metadata.json"))
	if err != nil {
		return "", fmt.Errorf("reading goreleaser's metadata: %w", err)
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(cfg.Dist, "metadata.json"), err)
	}
	if cfg.Version != "" {
		meta.Version = cfg.Version
	}
	if meta.ProjectName == "" || meta.Version == "" {
		return "", fmt.Errorf("%s names no project_name or version", filepath.Join(cfg.Dist, "metadata.json"))
	}
	if strings.HasPrefix(meta.Version, "v") {
		return "", fmt.Errorf("version %q starts with v: the Registry's file names carry the version without it", meta.Version)
	}

	var problems []error
	fail := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	prefix := meta.ProjectName + "_" + meta.Version + "_"

	// The checksum file.
	sumsName := prefix + "SHA256SUMS"
	sums, err := readSums(filepath.Join(cfg.Dist, sumsName))
	if err != nil {
		return "", err
	}

	// The zips: one per platform, no other.
	zips, err := filepath.Glob(filepath.Join(cfg.Dist, "*.zip"))
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	for _, path := range zips {
		name := filepath.Base(path)
		platform, ok := strings.CutPrefix(strings.TrimSuffix(name, ".zip"), prefix)
		if !ok || !slices.Contains(cfg.Platforms, platform) {
			fail("%s: not a zip of this release: want %s<os>_<arch>.zip for one of %s", name, prefix, strings.Join(cfg.Platforms, ", "))
			continue
		}
		seen[platform] = true
		data, err := os.ReadFile(path) //nolint:gosec // G304: a file of the dist directory the user names.
		if err != nil {
			return "", err
		}
		if want, ok := sums[name]; !ok {
			fail("%s is not in %s", name, sumsName)
		} else if got := sha256Hex(data); got != want {
			fail("%s: SHA-256 %s, but %s says %s", name, got, sumsName, want)
		}
		exe, err := checkZip(data, meta.ProjectName, meta.Version, platform)
		if err != nil {
			fail("%s: %w", name, err)
		} else if cfg.SourceBuild != nil && platform == cfg.SourcePlatform && !bytes.Equal(exe, cfg.SourceBuild) {
			fail("%s: the binary (%d bytes, SHA-256 %s) is not the build from source (%d bytes, SHA-256 %s): "+
				"goreleaser and scripts/build-mirror.sh must build with the same flags (-trimpath -buildvcs=false, -ldflags '-s -w -X main.version=...')",
				name, len(exe), sha256Hex(exe), len(cfg.SourceBuild), sha256Hex(cfg.SourceBuild))
		}
	}
	for _, p := range cfg.Platforms {
		if !seen[p] {
			fail("no zip for %s: want %s%s.zip", p, prefix, p)
		}
	}
	if cfg.SourceBuild != nil && !seen[cfg.SourcePlatform] {
		fail("no zip for %q to compare with the build from source", cfg.SourcePlatform)
	}

	// The manifest: in the checksums, and on protocol 6.0.
	manifestName := prefix + "manifest.json"
	manifest, err := os.ReadFile(filepath.Join(cfg.Dist, manifestName)) //nolint:gosec // G304: as above.
	if errors.Is(err, os.ErrNotExist) {
		// goreleaser checksums the manifest (checksum.extra_files) and
		// uploads it (release.extra_files) from the repository's copy.
		manifest, err = os.ReadFile(cfg.Manifest)
	}
	if err != nil {
		return "", fmt.Errorf("reading the manifest: %w", err)
	}
	if want, ok := sums[manifestName]; !ok {
		fail("%s is not in %s: the Registry reads the protocol versions from it", manifestName, sumsName)
	} else if got := sha256Hex(manifest); got != want {
		fail("%s: SHA-256 %s, but %s says %s", manifestName, got, sumsName, want)
	}
	if err := checkManifest(manifest); err != nil {
		fail("%s: %w", manifestName, err)
	}

	// Nothing else in the checksums.
	for name := range sums {
		if name == manifestName || strings.HasSuffix(name, ".zip") && seen[strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".zip")] {
			continue
		}
		fail("%s lists %s, which is not a zip or the manifest of this release", sumsName, name)
	}

	if len(problems) > 0 {
		return "", errors.Join(problems...)
	}
	sum := fmt.Sprintf("%s %s: %d platform zips, %s and %s check out", meta.ProjectName, meta.Version, len(seen), sumsName, manifestName)
	if cfg.SourceBuild != nil {
		sum += fmt.Sprintf("; the %s binary is byte for byte the build from source", cfg.SourcePlatform)
	}
	return sum, nil
}

// readSums parses a sha256sum-style file: "<hex>  <name>" per line.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path) //nolint:gosec // G304: the checksum file of the dist directory the user names.
	if err != nil {
		return nil, fmt.Errorf("the checksum file: %w", err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != sha256.Size*2 || strings.Trim(sum, "0123456789abcdef") != "" || name == "" {
			return nil, fmt.Errorf("%s:%d: %q is not \"<sha256 in hex>  <file name>\"", filepath.Base(path), n, line)
		}
		if _, dup := sums[name]; dup {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", filepath.Base(path), n, name)
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("%s is empty", filepath.Base(path))
	}
	return sums, nil
}

// checkZip checks that the zip holds the provider binary for platform at
// its top level, and no other provider binary, and returns the binary.
func checkZip(data []byte, project, version, platform string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	goos, goarch, _ := strings.Cut(platform, "_")
	want := project + "_v" + version
	if goos == "windows" {
		want += ".exe"
	}
	var bin *zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == want:
			bin = f
		case strings.HasPrefix(filepath.Base(f.Name), project):
			return nil, fmt.Errorf("holds %s besides or instead of %s: the Registry installs the one binary named %s", f.Name, want, want)
		}
	}
	if bin == nil {
		names := make([]string, 0, len(zr.File))
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return nil, fmt.Errorf("has no %s at its top level (it holds %s)", want, strings.Join(names, ", "))
	}
	if goos != "windows" && bin.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("%s is not executable (mode %v)", want, bin.Mode())
	}
	rc, err := bin.Open()
	if err != nil {
		return nil, err
	}
	exe, err := io.ReadAll(rc)
	_ = rc.Close() // read-only: a close error changes nothing
	if err != nil {
		return nil, fmt.Errorf("%s: %w", want, err)
	}
	if err := checkBinary(exe, goos, goarch); err != nil {
		return nil, fmt.Errorf("%s: %w", want, err)
	}
	if !bytes.Contains(exe, []byte(version)) {
		return nil, fmt.Errorf("%s does not contain its version %q: main.version was not set (-ldflags -X main.version=...)", want, version)
	}
	return exe, nil
}

// checkBinary checks that exe is an executable for goos/goarch.
func checkBinary(exe []byte, goos, goarch string) error {
	r := bytes.NewReader(exe)
	switch goos {
	case "linux", "freebsd":
		f, err := elf.NewFile(r)
		if err != nil {
			return fmt.Errorf("not an ELF executable for %s: %w", goos, err)
		}
		want := map[string]elf.Machine{"386": elf.EM_386, "amd64": elf.EM_X86_64, "arm": elf.EM_ARM, "arm64": elf.EM_AARCH64}[goarch]
		if f.Machine != want || want == elf.EM_NONE {
			return fmt.Errorf("built for %v, want %s (%v)", f.Machine, goarch, want)
		}
		if goos == "freebsd" && f.OSABI != elf.ELFOSABI_FREEBSD {
			return fmt.Errorf("ELF OS/ABI %v, want %v", f.OSABI, elf.ELFOSABI_FREEBSD)
		}
		if goos == "linux" && f.OSABI == elf.ELFOSABI_FREEBSD {
			return errors.New("a FreeBSD executable in a linux zip")
		}
		if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
			return fmt.Errorf("ELF type %v, not an executable", f.Type)
		}
	case "darwin":
		f, err := macho.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a Mach-O executable: %w", err)
		}
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if f.Cpu != want || want == 0 {
			return fmt.Errorf("built for %v, want %s", f.Cpu, goarch)
		}
		if f.Type != macho.TypeExec {
			return fmt.Errorf("Mach-O type %v, not an executable", f.Type)
		}
	case "windows":
		f, err := pe.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a PE executable: %w", err)
		}
		want := map[string]uint16{"386": pe.IMAGE_FILE_MACHINE_I386, "amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm": pe.IMAGE_FILE_MACHINE_ARMNT, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
		if f.Machine != want || want == 0 {
			return fmt.Errorf("built for machine %#x, want %s (%#x)", f.Machine, goarch, want)
		}
		if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
			return errors.New("PE image not marked executable")
		}
	default:
		return fmt.Errorf("unknown OS %q", goos)
	}
	return nil
}

// checkManifest checks the registry manifest's format and protocols.
func checkManifest(data []byte) error {
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return err
	}
	if m.Version != 1 {
		return fmt.Errorf("version %d, want 1", m.Version)
	}
	if !slices.Equal(m.Metadata.ProtocolVersions, wantProtocols) {
		return fmt.Errorf("protocol_versions %q, want %q: the provider serves protocol 6 only", m.Metadata.ProtocolVersions, wantProtocols)
	}
	return nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
