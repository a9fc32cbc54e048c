package main

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestParseBanner(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		stdout    string
		wantURL   string
		wantToken string
		wantErr   bool
	}{
		{
			name: "bootstrap banner",
			stdout: "listening on http://127.0.0.1:41234\n" +
				"directory integration: 7f0c (bench, okta)\n" +
				"provisioning URL: http://127.0.0.1:41234/identity/v2/scim\n" +
				"SCIM token: s3cr3t\n" +
				"later output\n",
			wantURL: "http://127.0.0.1:41234", wantToken: "s3cr3t",
		},
		{name: "token on the last line without newline", stdout: "listening on http://[::1]:80\nSCIM token: s3cr3t", wantURL: "http://[::1]:80", wantToken: "s3cr3t"},
		{name: "no bootstrap", stdout: "listening on http://127.0.0.1:1\n", wantErr: true},
		{name: "no listening line", stdout: "SCIM token: s3cr3t\n", wantErr: true},
		{name: "nothing", stdout: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url, token, err := parseBanner(bufio.NewReader(strings.NewReader(tt.stdout)))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseBanner error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q shows the token", err)
			}
			if diff := cmp.Diff([]string{tt.wantURL, tt.wantToken}, []string{url, token}); diff != "" {
				t.Errorf("parseBanner mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMockStatsSince(t *testing.T) {
	t.Parallel()
	before := mockStats{Total: 5, Requests: map[string]int{"GET /a": 3, "POST /b": 2}}
	after := mockStats{Total: 9, Requests: map[string]int{"GET /a": 3, "POST /b": 4, "DELETE /c": 2}}
	want := mockStats{Total: 4, Requests: map[string]int{"POST /b": 2, "DELETE /c": 2}}
	if diff := cmp.Diff(want, after.since(before)); diff != "" {
		t.Errorf("since mismatch (-want +got):\n%s", diff)
	}
}

// startInProcessMock serves a fresh mock with a bootstrapped directory and
// returns it as a mockProcess without a child process, and its SCIM client.
func startInProcessMock(t testing.TB) (*mockProcess, *scim.Client) {
	t.Helper()
	mock := mocktest.Start(t, mockDirectoryName, mockserver.Options{})
	m := &mockProcess{url: mock.URL, scimToken: mock.SCIMToken, client: &http.Client{Timeout: time.Minute}}
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: m.scimToken})
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

// TestMockStats reads the counters of a real mock around SCIM calls.
func TestMockStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, c := startInProcessMock(t)
	before, err := m.stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.Groups.Create(ctx, &scim.Group{DisplayName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Groups.Get(ctx, g.ID, nil); err != nil {
		t.Fatal(err)
	}
	after, err := m.stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := mockStats{Total: 2, Requests: map[string]int{
		"POST /identity/v2/scim/Groups":     1,
		"GET /identity/v2/scim/Groups/{id}": 1,
	}}
	if diff := cmp.Diff(want, after.since(before)); diff != "" {
		t.Errorf("stats delta mismatch (-want +got):\n%s", diff)
	}
}

func TestParseProcStatCPU(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stat string
		want       time.Duration
	}{
		{
			name: "a name with spaces and parentheses",
			stat: "4242 (secure (mock) x) S 1 4242 4242 0 -1 4194560 1190 0 0 0 250 37 0 0 20 0 8 0 123 1234567 890 18446744073709551615",
			want: 2870 * time.Millisecond,
		},
		{name: "truncated", stat: "4242 (mock) S 1 2 3", want: 0},
		{name: "no name", stat: "garbage", want: 0},
	}
	for _, tt := range tests {
		if got := parseProcStatCPU(tt.stat); got != tt.want {
			t.Errorf("%s: parseProcStatCPU = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestMockCPU checks that a running mock's CPU time is read and grows.
func TestMockCPU(t *testing.T) {
	self := &mockProcess{cmd: &exec.Cmd{Process: &os.Process{Pid: os.Getpid()}}}
	before := self.cpu()
	spins := 0
	for start := time.Now(); time.Since(start) < 200*time.Millisecond; spins++ {
		// burn CPU
	}
	if after := self.cpu(); after <= before {
		t.Errorf("CPU time did not grow over %d spins: %v then %v", spins, before, after)
	}
	if (&mockProcess{}).cpu() != 0 {
		t.Error("an in-process mock has CPU time")
	}
}
