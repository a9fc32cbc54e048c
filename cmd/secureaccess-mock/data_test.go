package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// envRunMain makes the test binary run main() instead of the tests, so the
// process-level tests start the real program without building it.
const envRunMain = "SECUREACCESS_MOCK_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestRunDataFlag(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "mock.db")
	first := start(t, []string{"-listen", "127.0.0.1:0", "-data", data, "-bootstrap", "Okta"}, nil)
	base := first.baseURL(t)
	first.line(t)
	first.line(t)
	token := strings.TrimPrefix(first.line(t), "SCIM token: ")
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@example.com"}`
	if got := call(t, http.MethodPost, base+"/identity/v2/scim/Users", token, nil, user); got != http.StatusCreated {
		t.Fatalf("create user: %d", got)
	}
	first.cancel()
	if err := <-first.done; err != nil {
		t.Fatalf("run: %v", err)
	}
	first.done <- nil // for the cleanup

	second := start(t, []string{"-listen", "127.0.0.1:0", "-data", data}, nil)
	base = second.baseURL(t)
	if got := userNames(t, &http.Client{}, base, token); !cmp.Equal(got, map[string]bool{"ann@example.com": true}) {
		t.Fatalf("users after a restart = %v, want ann@example.com", got)
	}
}

// TestRunDataFlagBootstrapAgain: make mock passes -data and -bootstrap on
// every start. A restart keeps the integration of that name, with its
// users, and prints a new SCIM token, which revokes the previous one.
func TestRunDataFlagBootstrapAgain(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "mock.db")
	args := []string{"-listen", "127.0.0.1:0", "-data", data, "-bootstrap", "OKTA Integration"}
	first := start(t, args, nil)
	base := first.baseURL(t)
	firstDir := first.line(t)
	first.line(t)
	oldToken := strings.TrimPrefix(first.line(t), "SCIM token: ")
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@example.com"}`
	if got := call(t, http.MethodPost, base+"/identity/v2/scim/Users", oldToken, nil, user); got != http.StatusCreated {
		t.Fatalf("create user: %d", got)
	}
	first.cancel()
	if err := <-first.done; err != nil {
		t.Fatalf("run: %v", err)
	}
	first.done <- nil // for the cleanup

	second := start(t, args, nil)
	base = second.baseURL(t)
	dirLine := second.line(t)
	second.line(t)
	token := strings.TrimPrefix(second.line(t), "SCIM token: ")
	id := regexp.MustCompile(`^directory integration: ([0-9a-f-]{36}) \(OKTA Integration, okta; 0 users, 0 groups\)$`).FindStringSubmatch(firstDir)
	if id == nil {
		t.Fatalf("first start: %q", firstDir)
	}
	if want := "directory integration: " + id[1] + " (OKTA Integration, okta; 1 users, 0 groups)"; dirLine != want {
		t.Errorf("restart: %q, want %q (the same integration, with its user)", dirLine, want)
	}
	if token == oldToken || token == "" {
		t.Fatalf("restart printed token %q, want a new one", token)
	}
	if got := userNames(t, &http.Client{}, base, token); !cmp.Equal(got, map[string]bool{"ann@example.com": true}) {
		t.Errorf("users with the new token = %v, want ann@example.com", got)
	}
	if got := call(t, http.MethodGet, base+"/identity/v2/scim/Users", oldToken, nil, ""); got != http.StatusUnauthorized {
		t.Errorf("the previous token after a restart: %d, want 401", got)
	}
}

func TestRunDataFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.json")
	if err := os.WriteFile(corrupt, []byte("not json\n{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, want string
	}{
		{name: "missing directory", data: filepath.Join(dir, "nope", "mock.db"), want: "-data: "},
		{name: "corrupt file", data: corrupt, want: "corrupt.json: invalid database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-data", tt.data}, func(string) string { return "" }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// mockProcess is the mock program running as a child process.
type mockProcess struct {
	cmd   *exec.Cmd
	base  string
	lines *bufio.Scanner
}

// startProcess runs the program (this test binary, see TestMain) with args
// and reads its listening line.
func startProcess(t *testing.T, args ...string) *mockProcess {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...) //nolint:gosec // G204: the test binary itself.
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // already gone when the test stopped it.
		_ = cmd.Wait()
	})
	p := &mockProcess{cmd: cmd, lines: bufio.NewScanner(stdout)}
	m := regexp.MustCompile(`^listening on (http://\S+)$`).FindStringSubmatch(p.line(t))
	if m == nil {
		t.Fatal("no listening line")
	}
	p.base = m[1]
	return p
}

// line returns the next stdout line.
func (p *mockProcess) line(t *testing.T) string {
	t.Helper()
	if !p.lines.Scan() {
		t.Fatalf("stdout ended: %v", p.lines.Err())
	}
	return p.lines.Text()
}

// acked records the writes the mock acknowledged.
type acked struct {
	mu      sync.Mutex
	users   map[string]bool            // userName
	members map[string]map[string]bool // group id → member user ids
}

// TestKill9KeepsAcknowledgedWrites runs the program with -data, creates
// users and adds them to groups from 8 goroutines, kills it with SIGKILL
// in the middle of that, restarts it on the same file and checks that
// every write that got a 2xx is there. $SECUREACCESS_MOCK_KILL_ROUNDS
// (default 1) repeats the kill and restart, on the same file, for make soak.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	rounds := 1
	if v := os.Getenv("SECUREACCESS_MOCK_KILL_ROUNDS"); v != "" {
		var err error
		if rounds, err = strconv.Atoi(v); err != nil || rounds < 1 {
			t.Fatalf("SECUREACCESS_MOCK_KILL_ROUNDS=%q is not a positive integer", v)
		}
	}
	data := filepath.Join(t.TempDir(), "mock.db")
	p := startProcess(t, "-listen", "127.0.0.1:0", "-data", data, "-bootstrap", "Okta")
	p.line(t)
	p.line(t)
	token := strings.TrimPrefix(p.line(t), "SCIM token: ")
	client := &http.Client{Timeout: 10 * time.Second}
	ack := &acked{users: map[string]bool{}, members: map[string]map[string]bool{}}
	var groups []string
	for i := range 4 {
		id, status := post(client, p.base, token, "/Groups", map[string]any{
			"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": fmt.Sprintf("group-%d", i),
		})
		if status != http.StatusCreated {
			t.Fatalf("create group: %d", status)
		}
		groups = append(groups, id)
		ack.members[id] = map[string]bool{}
	}

	for round := range rounds {
		ctx, stop := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() { load(ctx, client, p.base, token, groups, fmt.Sprintf("r%d-w%d", round, w), ack) })
		}
		waitForAcks(t, ack, 300*(round+1))
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.cmd.Wait() // "signal: killed"
		stop()
		wg.Wait()

		p = startProcess(t, "-listen", "127.0.0.1:0", "-data", data)
		if missing := lost(t, client, p.base, token, ack); len(missing) > 0 {
			t.Fatalf("round %d: %d acknowledged writes lost (of %d users and their memberships): %v",
				round, len(missing), len(ack.users), missing)
		}
	}
	t.Logf("%d acknowledged users and their memberships survived %d kill -9", len(ack.users), rounds)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("graceful shutdown after SIGTERM: %v", err)
	}
}

// lost returns the acknowledged users and memberships the mock at base
// does not have.
func lost(t *testing.T, client *http.Client, base, token string, ack *acked) []string {
	t.Helper()
	got := userNames(t, client, base, token)
	var missing []string
	for name := range ack.users {
		if !got[name] {
			missing = append(missing, name)
		}
	}
	for gid, want := range ack.members {
		members := groupMembers(t, client, base, token, gid)
		for id := range want {
			if !members[id] {
				missing = append(missing, "member "+id+" of "+gid)
			}
		}
	}
	return missing
}

// load creates users and adds each to a group until ctx is done,
// recording what was acknowledged.
func load(ctx context.Context, client *http.Client, base, token string, groups []string, worker string, ack *acked) {
	for i := 0; ctx.Err() == nil; i++ {
		name := fmt.Sprintf("%s-u%d@example.com", worker, i)
		id, status := post(client, base, token, "/Users", map[string]any{
			"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": name,
		})
		if status != http.StatusCreated {
			continue
		}
		ack.mu.Lock()
		ack.users[name] = true
		ack.mu.Unlock()
		gid := groups[i%len(groups)]
		status = send(client, http.MethodPatch, base+"/identity/v2/scim/Groups/"+gid, token, map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []map[string]any{{"op": "add", "path": "members", "value": []map[string]string{{"value": id}}}},
		}, nil)
		if status == http.StatusOK {
			ack.mu.Lock()
			ack.members[gid][id] = true
			ack.mu.Unlock()
		}
	}
}

// waitForAcks waits until n users were acknowledged.
func waitForAcks(t *testing.T, ack *acked, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ack.mu.Lock()
		got := len(ack.users)
		ack.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d users acknowledged within 30 s", n)
}

// post creates a SCIM resource and returns its id and the status (0 when
// the request failed).
func post(client *http.Client, base, token, path string, body any) (string, int) {
	var created struct{ ID string }
	status := send(client, http.MethodPost, base+"/identity/v2/scim"+path, token, body, &created)
	return created.ID, status
}

// send performs a SCIM request with a JSON body, decodes a 2xx answer into
// out (when not nil) and returns the status, 0 when the request failed.
func send(client *http.Client, method, target, token string, body, out any) int {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(context.Background(), method, target, rd)
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer func() { _ = resp.Body.Close() }()
	if out != nil && resp.StatusCode/100 == 2 && json.NewDecoder(resp.Body).Decode(out) != nil {
		return 0
	}
	return resp.StatusCode
}

// userNames lists every SCIM user's userName.
func userNames(t *testing.T, client *http.Client, base, token string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for start := 1; ; start += 1000 {
		var page struct {
			TotalResults int
			Resources    []struct{ UserName string }
		}
		target := fmt.Sprintf("%s/identity/v2/scim/Users?attributes=userName&count=1000&startIndex=%d", base, start)
		if status := send(client, http.MethodGet, target, token, nil, &page); status != http.StatusOK {
			t.Fatalf("list users: %d", status)
		}
		for _, u := range page.Resources {
			names[u.UserName] = true
		}
		if start+len(page.Resources) > page.TotalResults || len(page.Resources) == 0 {
			return names
		}
	}
}

// groupMembers returns the member ids of a SCIM group.
func groupMembers(t *testing.T, client *http.Client, base, token, id string) map[string]bool {
	t.Helper()
	var g struct{ Members []struct{ Value string } }
	if status := send(client, http.MethodGet, base+"/identity/v2/scim/Groups/"+id, token, nil, &g); status != http.StatusOK {
		t.Fatalf("get group %s: %d", id, status)
	}
	members := map[string]bool{}
	for _, m := range g.Members {
		members[m.Value] = true
	}
	return members
}
