package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// TestConcurrency_groupMembers applies K secureaccess_scim_group_member
// resources of one group at -parallelism=50, alone and while a second
// writer (acting as Okta) adds and removes other members of that group.
// Terraform's members must all be there and the writer's exactly as it left
// them; the plan after it must be empty, and destroy must remove
// Terraform's members only.
func TestConcurrency_groupMembers(t *testing.T) {
	t.Parallel()
	k := Sized(60, 200)
	for _, tc := range []struct {
		name   string
		writer bool
	}{
		{name: "alone"},
		{name: "with a concurrent writer", writer: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tf := NewTerraform(t)
			m := NewMock(t, mockserver.Options{})
			st := m.SCIM(t)
			group := seedGroup(t, st, "okta-users")
			tfUsers := seedUsers(t, st, "tf", k)
			tf.WriteConfig(t, m.ProviderBlock()+membersConfig(group, tfUsers))

			var writer *oktaWriter
			if tc.writer {
				writer = startOktaWriter(t, m, group, seedUsers(t, st, "okta", 20))
			}
			start := time.Now()
			tf.Apply(t, tfexec.Parallelism(50))
			elapsed := time.Since(start)
			var writerMembers []string
			if writer != nil {
				writerMembers = writer.stop(t)
			}
			t.Logf("apply of %d members at -parallelism=50: %v; writer: %v", k, elapsed, writer)
			logStats(t, m)
			requireMembers(t, st, group, append(slices.Clone(tfUsers), writerMembers...))
			tf.RequireEmptyPlan(t)

			tf.Destroy(t, tfexec.Parallelism(50))
			requireMembers(t, st, group, writerMembers)
		})
	}
}

// seedGroup creates a group in the mock, as an IdP would have pushed it.
func seedGroup(t *testing.T, st *scimserver.Store, name string) string {
	t.Helper()
	g, err := st.CreateGroup(scimserver.Group{DisplayName: name})
	if err != nil {
		t.Fatalf("seeding group %q: %v", name, err)
	}
	return g.ID
}

// seedUsers creates n active users named prefix-i in the mock and returns
// their ids.
func seedUsers(t *testing.T, st *scimserver.Store, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		u, err := st.CreateUser(scimserver.User{UserName: fmt.Sprintf("%s-%04d@example.com", prefix, i), Active: new(true)})
		if err != nil {
			t.Fatalf("seeding user %d: %v", i, err)
		}
		ids[i] = u.ID
	}
	return ids
}

// membersConfig is one secureaccess_scim_group_member per user of group.
func membersConfig(group string, users []string) string {
	quoted := make([]string, len(users))
	for i, u := range users {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	return fmt.Sprintf(`
locals {
  user_ids = [%s]
}

resource "secureaccess_scim_group_member" "m" {
  count    = length(local.user_ids)
  group_id = %q
  user_id  = local.user_ids[count.index]
}
`, strings.Join(quoted, ", "), group)
}

// requireMembers asserts that group has exactly the members want.
func requireMembers(t *testing.T, st *scimserver.Store, group string, want []string) {
	t.Helper()
	if diff := cmp.Diff(sortedIDs(want), sortedIDs(st.GroupMembers(group))); diff != "" {
		t.Errorf("members of the group (-want +mock):\n%s", diff)
	}
}

// writerPause is the writer's pause between two PATCHes.
const writerPause = 5 * time.Millisecond

// oktaWriter adds and removes its own users as members of a group through
// the SCIM API, one PATCH at a time, until stopped.
type oktaWriter struct {
	client *scim.Client
	group  string
	users  []string

	cancel context.CancelFunc
	wg     sync.WaitGroup

	// members and ops are the writer's own view: which of its users it
	// left in the group, and how many PATCHes it sent. Read after stop.
	members map[string]bool
	ops     int
	err     error
}

// startOktaWriter starts a writer for users of group.
func startOktaWriter(t *testing.T, m *Mock, group string, users []string) *oktaWriter {
	t.Helper()
	client, err := scim.NewClient(scim.Config{URL: m.SCIMURL(), Token: m.SCIMToken})
	if err != nil {
		t.Fatalf("SCIM client: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	w := &oktaWriter{client: client, group: group, users: users, cancel: cancel, members: map[string]bool{}}
	w.wg.Go(func() { w.run(ctx) })
	return w
}

// run toggles the membership of a random user of the writer until ctx ends
// or a call fails.
func (w *oktaWriter) run(ctx context.Context) {
	//nolint:gosec // G404: a test's choice of users, not a secret.
	rng := rand.New(rand.NewPCG(1, 2))
	for ctx.Err() == nil {
		user := w.users[rng.IntN(len(w.users))]
		// A cancelled ctx aborts the call mid-way: detach it, so that the
		// writer's view stays what the service did.
		callCtx := context.WithoutCancel(ctx)
		var err error
		if w.members[user] {
			err = w.client.Groups.RemoveMembers(callCtx, w.group, []string{user})
		} else {
			_, err = w.client.Groups.AddMembers(callCtx, w.group, []string{user})
		}
		if err != nil {
			w.err = err
			return
		}
		w.members[user] = !w.members[user]
		w.ops++
		select { // an IdP's pace, not a busy loop on two cores
		case <-ctx.Done():
		case <-time.After(writerPause):
		}
	}
}

// stop stops the writer and returns the users it left in the group. It
// fails the test if a call failed or the writer did nothing.
func (w *oktaWriter) stop(t *testing.T) []string {
	t.Helper()
	w.cancel()
	w.wg.Wait()
	if w.err != nil {
		t.Fatalf("the concurrent writer failed: %v", w.err)
	}
	if w.ops == 0 {
		t.Fatal("the concurrent writer sent nothing while terraform applied")
	}
	var out []string
	for u, in := range w.members {
		if in {
			out = append(out, u)
		}
	}
	return out
}

// String summarizes what the writer did.
func (w *oktaWriter) String() string {
	if w == nil {
		return "none"
	}
	return fmt.Sprintf("%d membership changes", w.ops)
}
