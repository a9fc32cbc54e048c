package main

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	testProject  = "terraform-provider-secureaccess"
	testVersion  = "1.2.3"
	goodManifest = `{
  "version": 1,
  "metadata": {
    "protocol_versions": ["6.0"]
  }
}
`
)

var testPlatforms = []string{"darwin_arm64", "freebsd_amd64", "linux_amd64", "linux_arm", "windows_amd64"}

// release is a fake dist/ in memory: file name to content.
type release map[string][]byte

// newRelease builds a release that passes: for each platform a zip with a
// header-only executable of that platform carrying the version, the
// manifest, metadata.json and the checksums of the zips and the manifest.
func newRelease(t *testing.T) release {
	t.Helper()
	r := release{
		"metadata.json": fmt.Appendf(nil, `{"project_name":%q,"tag":"v%s","version":%q}`, testProject, testVersion, testVersion),
		"terraform-provider-secureaccess_1.2.3_manifest.json": []byte(goodManifest),
	}
	for _, p := range testPlatforms {
		goos, goarch, _ := strings.Cut(p, "_")
		bin := testProject + "_v" + testVersion
		if goos == "windows" {
			bin += ".exe"
		}
		r[testProject+"_"+testVersion+"_"+p+".zip"] = zipOf(t, map[string][]byte{
			bin:         append(fakeExecutable(t, goos, goarch), "version "+testVersion...),
			"README.md": []byte("# readme\n"),
		})
	}
	r.sum()
	return r
}

// sum writes the SHA256SUMS file of every zip and the manifest.
func (r release) sum() {
	var b strings.Builder
	for name, data := range r {
		if strings.HasSuffix(name, ".zip") || strings.HasSuffix(name, "_manifest.json") {
			fmt.Fprintf(&b, "%s  %s\n", sha256Hex(data), name)
		}
	}
	r[testProject+"_"+testVersion+"_SHA256SUMS"] = []byte(b.String())
}

// write puts the release in a new directory and returns a config for it.
func (r release) write(t *testing.T) config {
	t.Helper()
	dir := t.TempDir()
	for name, data := range r {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return config{Dist: dir, Manifest: filepath.Join(dir, "no-such-manifest.json"), Platforms: testPlatforms}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeExecutable is the header of an executable for goos/goarch, enough
// for debug/elf, debug/macho and debug/pe to read its machine.
func fakeExecutable(t *testing.T, goos, goarch string) []byte {
	t.Helper()
	var buf bytes.Buffer
	le := binary.LittleEndian
	switch goos {
	case "linux", "freebsd":
		machine := map[string]elf.Machine{"386": elf.EM_386, "amd64": elf.EM_X86_64, "arm": elf.EM_ARM, "arm64": elf.EM_AARCH64}[goarch]
		osabi := elf.ELFOSABI_NONE
		if goos == "freebsd" {
			osabi = elf.ELFOSABI_FREEBSD
		}
		h := elf.Header32{Type: uint16(elf.ET_EXEC), Machine: uint16(machine), Version: uint32(elf.EV_CURRENT), Ehsize: 52}
		copy(h.Ident[:], elf.ELFMAG)
		h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION], h.Ident[elf.EI_OSABI] = byte(elf.ELFCLASS32), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT), byte(osabi)
		if err := binary.Write(&buf, le, h); err != nil {
			t.Fatal(err)
		}
	case "darwin":
		cpu := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if err := binary.Write(&buf, le, macho.FileHeader{Magic: macho.Magic64, Cpu: cpu, Type: macho.TypeExec}); err != nil {
			t.Fatal(err)
		}
		buf.Write(make([]byte, 4)) // the 64-bit header's reserved word
	case "windows":
		machine := map[string]uint16{"386": pe.IMAGE_FILE_MACHINE_I386, "amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
		dos := make([]byte, 0x40)
		copy(dos, "MZ")
		le.PutUint32(dos[0x3c:], 0x40)
		buf.Write(dos)
		buf.WriteString("PE\x00\x00")
		if err := binary.Write(&buf, le, pe.FileHeader{Machine: machine, Characteristics: pe.IMAGE_FILE_EXECUTABLE_IMAGE}); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no fake executable for %s", goos)
	}
	buf.Write(make([]byte, 64))
	return buf.Bytes()
}

func TestCheckPasses(t *testing.T) {
	t.Parallel()
	cfg := newRelease(t).write(t)
	sum, err := check(cfg)
	if err != nil {
		t.Fatalf("a good release failed:\n%v", err)
	}
	if !strings.Contains(sum, "5 platform zips") {
		t.Errorf("summary %q does not count the 5 zips", sum)
	}
}

// binaryOf returns the provider binary in the release's zip of platform.
func binaryOf(t *testing.T, r release, platform string) []byte {
	t.Helper()
	exe, err := checkZip(r[testProject+"_"+testVersion+"_"+platform+".zip"], testProject, testVersion, platform)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// TestCheckSourceBuild: the platform's binary must be byte for byte the
// build from source; one byte off, or no zip of that platform, fails.
func TestCheckSourceBuild(t *testing.T) {
	t.Parallel()
	r := newRelease(t)
	cfg := r.write(t)
	cfg.SourceBuild, cfg.SourcePlatform = binaryOf(t, r, "linux_amd64"), "linux_amd64"
	sum, err := check(cfg)
	if err != nil {
		t.Fatalf("the release with its own binary as the source build failed:\n%v", err)
	}
	if !strings.Contains(sum, "the linux_amd64 binary is byte for byte the build from source") {
		t.Errorf("summary %q does not say the binary matched", sum)
	}

	off := bytes.Clone(cfg.SourceBuild)
	off[len(off)-1] ^= 1
	for name, c := range map[string]config{
		"one byte off":    {SourceBuild: off, SourcePlatform: "linux_amd64"},
		"another binary":  {SourceBuild: binaryOf(t, r, "linux_arm"), SourcePlatform: "linux_amd64"},
		"no such release": {SourceBuild: cfg.SourceBuild, SourcePlatform: "linux_mips"},
	} {
		c.Dist, c.Manifest, c.Platforms = cfg.Dist, cfg.Manifest, cfg.Platforms
		_, err := check(c)
		want := "is not the build from source"
		if c.SourcePlatform == "linux_mips" {
			want = `no zip for "linux_mips" to compare with the build from source`
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, want)
		}
	}
}

// TestCheckFails breaks one thing at a time in a good release; each must
// fail the check with a message naming what is wrong.
func TestCheckFails(t *testing.T) {
	t.Parallel()
	const (
		linuxZip = "terraform-provider-secureaccess_1.2.3_linux_amd64.zip"
		sumsFile = "terraform-provider-secureaccess_1.2.3_SHA256SUMS"
		manifest = "terraform-provider-secureaccess_1.2.3_manifest.json"
	)
	linuxBin := func(t *testing.T) []byte { return append(fakeExecutable(t, "linux", "amd64"), "v1.2.3"...) }
	tests := []struct {
		name   string
		break_ func(t *testing.T, r release, cfg *config) // before write, after sum unless resum is false
		resum  bool
		want   string
	}{
		{
			name:   "a platform's zip is missing",
			break_: func(t *testing.T, r release, cfg *config) { delete(r, linuxZip) },
			resum:  true,
			want:   "no zip for linux_amd64",
		},
		{
			name: "an extra platform",
			break_: func(t *testing.T, r release, cfg *config) {
				r["terraform-provider-secureaccess_1.2.3_linux_mips.zip"] = zipOf(t, map[string][]byte{"x": nil})
			},
			resum: true,
			want:  "linux_mips.zip: not a zip of this release",
		},
		{
			name:   "a zip changed after its checksum",
			break_: func(t *testing.T, r release, cfg *config) { r[linuxZip] = append(r[linuxZip], 0) },
			want:   linuxZip + ": SHA-256",
		},
		{
			name: "a zip missing from the checksums",
			break_: func(t *testing.T, r release, cfg *config) {
				var kept []string
				for l := range strings.Lines(string(r[sumsFile])) {
					if !strings.Contains(l, linuxZip) {
						kept = append(kept, l)
					}
				}
				r[sumsFile] = []byte(strings.Join(kept, ""))
			},
			want: linuxZip + " is not in " + sumsFile,
		},
		{
			name: "the checksums list a file that is not in the release",
			break_: func(t *testing.T, r release, cfg *config) {
				r[sumsFile] = append(r[sumsFile], strings.Repeat("0", 64)+"  terraform-provider-secureaccess_1.2.2_linux_amd64.zip\n"...)
			},
			want: "lists terraform-provider-secureaccess_1.2.2_linux_amd64.zip",
		},
		{
			name:   "the checksum file is missing",
			break_: func(t *testing.T, r release, cfg *config) { delete(r, sumsFile) },
			want:   "the checksum file",
		},
		{
			name: "a binary without the _v in its name",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"terraform-provider-secureaccess_1.2.3": linuxBin(t)})
			},
			resum: true,
			want:  "holds terraform-provider-secureaccess_1.2.3 besides or instead of terraform-provider-secureaccess_v1.2.3",
		},
		{
			name: "a binary in a folder of the zip",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"bin/terraform-provider-secureaccess_v1.2.3": linuxBin(t)})
			},
			resum: true,
			want:  "holds bin/terraform-provider-secureaccess_v1.2.3 besides or instead of",
		},
		{
			name: "a zip without the binary",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"README.md": []byte("# readme\n")})
			},
			resum: true,
			want:  "has no terraform-provider-secureaccess_v1.2.3 at its top level (it holds README.md)",
		},
		{
			name: "a binary for another architecture",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"terraform-provider-secureaccess_v1.2.3": append(fakeExecutable(t, "linux", "arm64"), "1.2.3"...)})
			},
			resum: true,
			want:  "want amd64",
		},
		{
			name: "a Windows binary in a Linux zip",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"terraform-provider-secureaccess_v1.2.3": append(fakeExecutable(t, "windows", "amd64"), "1.2.3"...)})
			},
			resum: true,
			want:  "not an ELF executable",
		},
		{
			name: "a binary without its version",
			break_: func(t *testing.T, r release, cfg *config) {
				r[linuxZip] = zipOf(t, map[string][]byte{"terraform-provider-secureaccess_v1.2.3": fakeExecutable(t, "linux", "amd64")})
			},
			resum: true,
			want:  `does not contain its version "1.2.3"`,
		},
		{
			name: "the manifest on protocol 5",
			break_: func(t *testing.T, r release, cfg *config) {
				r[manifest] = []byte(strings.Replace(goodManifest, `"6.0"`, `"5.0"`, 1))
			},
			resum: true,
			want:  `protocol_versions ["5.0"], want ["6.0"]`,
		},
		{
			name: "the manifest on protocols 5 and 6",
			break_: func(t *testing.T, r release, cfg *config) {
				r[manifest] = []byte(strings.Replace(goodManifest, `"6.0"`, `"5.0", "6.0"`, 1))
			},
			resum: true,
			want:  `protocol_versions ["5.0" "6.0"]`,
		},
		{
			name:   "the manifest changed after its checksum",
			break_: func(t *testing.T, r release, cfg *config) { r[manifest] = append(r[manifest], ' ') },
			want:   manifest + ": SHA-256",
		},
		{
			name: "the manifest is not in the checksums",
			break_: func(t *testing.T, r release, cfg *config) {
				var kept []string
				for l := range strings.Lines(string(r[sumsFile])) {
					if !strings.Contains(l, manifest) {
						kept = append(kept, l)
					}
				}
				r[sumsFile] = []byte(strings.Join(kept, ""))
			},
			want: manifest + " is not in " + sumsFile,
		},
		{
			name: "a version with a leading v",
			break_: func(t *testing.T, r release, cfg *config) {
				cfg.Version = "v1.2.3"
			},
			want: "starts with v",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRelease(t)
			var cfg config
			tt.break_(t, r, &cfg)
			if tt.resum {
				r.sum()
			}
			version := cfg.Version
			cfg = r.write(t)
			cfg.Version = version
			_, err := check(cfg)
			if err == nil {
				t.Fatal("the check passed")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not say %q:\n%v", tt.want, err)
			}
		})
	}
}

// TestCheckManifestFromRepository: without a manifest in dist/, the check
// reads the repository's, as goreleaser does.
func TestCheckManifestFromRepository(t *testing.T) {
	t.Parallel()
	r := newRelease(t)
	m := r["terraform-provider-secureaccess_1.2.3_manifest.json"]
	delete(r, "terraform-provider-secureaccess_1.2.3_manifest.json")
	cfg := r.write(t)
	cfg.Manifest = filepath.Join(t.TempDir(), "terraform-registry-manifest.json")
	if err := os.WriteFile(cfg.Manifest, m, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := check(cfg); err != nil {
		t.Fatal(err)
	}
}

// TestRepositoryManifest: the repository's manifest passes the check.
func TestRepositoryManifest(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../../terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkManifest(data); err != nil {
		t.Fatal(err)
	}
}
