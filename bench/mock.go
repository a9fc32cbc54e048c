package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Lines cmd/secureaccess-mock prints on stdout.
const (
	listeningPrefix = "listening on "
	scimTokenPrefix = "SCIM token: "
)

// mockStartTimeout bounds how long the mock may take to print its banner.
const mockStartTimeout = 30 * time.Second

// mockDirectoryName is the directory integration the mock bootstraps.
const mockDirectoryName = "bench"

// mockProcess is a running cmd/secureaccess-mock with a bootstrapped
// directory integration.
type mockProcess struct {
	cmd       *exec.Cmd
	url       string // base URL, e.g. http://127.0.0.1:41234
	scimToken string // provisioning token of the bootstrapped directory
	client    *http.Client
}

// startMock starts bin on a free loopback port with a bootstrapped
// directory integration, its stderr going to logPath, and waits for its
// banner.
func startMock(ctx context.Context, bin, logPath string) (*mockProcess, error) {
	logFile, err := os.Create(logPath) //nolint:gosec // G304: under the -work scratch dir.
	if err != nil {
		return nil, fmt.Errorf("create mock log: %w", err)
	}
	// The child gets its own descriptor, so this one can close on return.
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, bin, "-listen", "127.0.0.1:0", "-bootstrap", mockDirectoryName) //nolint:gosec // G702: the mock binary run.sh built.
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("mock stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start mock: %w", err)
	}
	m := &mockProcess{cmd: cmd, client: &http.Client{Timeout: time.Minute}}
	banner := make(chan error, 1)
	go func() {
		r := bufio.NewReader(stdout)
		var err error
		m.url, m.scimToken, err = parseBanner(r)
		banner <- err
		_, _ = io.Copy(io.Discard, r) // keep draining so the mock never blocks
	}()
	select {
	case err = <-banner:
	case <-time.After(mockStartTimeout):
		err = fmt.Errorf("no banner after %v", mockStartTimeout)
	}
	if err != nil {
		m.stop()
		return nil, fmt.Errorf("mock did not start (log %s): %w", logPath, err)
	}
	return m, nil
}

// parseBanner reads the mock's stdout up to the SCIM token line and returns
// the base URL and the token.
func parseBanner(r *bufio.Reader) (url, token string, err error) {
	for token == "" {
		line, err := r.ReadString('\n')
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, listeningPrefix):
			url = strings.TrimPrefix(line, listeningPrefix)
		case strings.HasPrefix(line, scimTokenPrefix):
			token = strings.TrimPrefix(line, scimTokenPrefix)
		}
		if err != nil && token == "" {
			return "", "", fmt.Errorf("read banner: %w", err)
		}
	}
	if url == "" {
		return "", "", errors.New("read banner: no listening line before the SCIM token")
	}
	return url, token, nil
}

// scimURL is the mock's SCIM base URL.
func (m *mockProcess) scimURL() string {
	return m.url + scimBasePath
}

// stop terminates the mock and waits for it.
func (m *mockProcess) stop() {
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	_ = m.cmd.Wait()
}

// cpu returns the CPU time (user and system) the mock process has used so
// far, from /proc/PID/stat; 0 for an in-process mock or without /proc.
func (m *mockProcess) cpu() time.Duration {
	if m.cmd == nil || m.cmd.Process == nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", m.cmd.Process.Pid)) //nolint:gosec // G703: a /proc path built from the pid of the mock this harness started.
	if err != nil {
		return 0
	}
	return parseProcStatCPU(string(b))
}

// clockTick is Linux's USER_HZ, the unit of /proc/PID/stat's CPU times.
const clockTick = time.Second / 100

// parseProcStatCPU returns utime + stime of a /proc/PID/stat line, 0 if it
// cannot be parsed. The command name (field 2) is in parentheses and may
// hold spaces, so fields are counted after its closing parenthesis: the
// state (field 3) comes first, utime and stime are fields 14 and 15.
func parseProcStatCPU(stat string) time.Duration {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * clockTick
}

// mockStats is the part of GET /_mock/stats the harness reads.
type mockStats struct {
	Total    int            `json:"total"`
	Requests map[string]int `json:"requests"`
}

// stats returns the mock's request counters.
func (m *mockProcess) stats(ctx context.Context) (mockStats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url+"/_mock/stats", nil) //nolint:gosec // G704: the loopback mock this harness started.
	if err != nil {
		return mockStats{}, fmt.Errorf("mock stats: %w", err)
	}
	resp, err := m.client.Do(req) //nolint:gosec // G704: the loopback mock this harness started.
	if err != nil {
		return mockStats{}, fmt.Errorf("mock stats: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return mockStats{}, fmt.Errorf("mock stats: status %s", resp.Status)
	}
	var s mockStats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return mockStats{}, fmt.Errorf("mock stats: decode: %w", err)
	}
	return s, nil
}

// since returns the requests counted after before was taken.
func (s mockStats) since(before mockStats) mockStats {
	d := mockStats{Total: s.Total - before.Total, Requests: map[string]int{}}
	for k, n := range s.Requests {
		if delta := n - before.Requests[k]; delta != 0 {
			d.Requests[k] = delta
		}
	}
	return d
}

// setLatency makes the mock delay every request by d, with its latency
// fault (POST /_mock/faults); 0 clears the faults (DELETE).
func (m *mockProcess) setLatency(ctx context.Context, d time.Duration) error {
	method, body := http.MethodPost, strings.NewReader(fmt.Sprintf(`{"latency":%q}`, d.String()))
	if d == 0 {
		method, body = http.MethodDelete, strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, m.url+"/_mock/faults", body) //nolint:gosec // G704: the loopback mock this harness started.
	if err != nil {
		return fmt.Errorf("mock latency: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req) //nolint:gosec // G704: the loopback mock this harness started.
	if err != nil {
		return fmt.Errorf("mock latency: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("mock latency: status %s", resp.Status)
	}
	return nil
}
