package admin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Stats keys of the two reads of a directory integration.
const (
	getDirectoryKey   = "GET /admin/v2/directoryIntegrations/{id}"
	listDirectoryKey  = "GET /admin/v2/directoryIntegrations"
	maxDirectoriesOrg = 10
)

// bootstrapDirectories creates n directory integrations on srv and returns
// their ids.
func bootstrapDirectories(t *testing.T, srv *mockserver.Server, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		d, _, err := srv.Bootstrap(fmt.Sprintf("dir %02d", i), IdentityProviderOkta)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	srv.ResetStats()
	return ids
}

// requireReads checks the requests the reads sent: GETs by id and listings.
func requireReads(t *testing.T, srv *mockserver.Server, wantGets, wantLists int) {
	t.Helper()
	st := srv.Stats()
	if got, lists := st.Count(getDirectoryKey), st.Count(listDirectoryKey); got != wantGets || lists != wantLists {
		t.Errorf("%d GETs by id and %d listings, want %d and %d", got, lists, wantGets, wantLists)
	}
}

// readAll reads ids with c's Read, concurrently when concurrent, and checks
// each against the service's Get.
func readAll(t *testing.T, c *Client, reference *Client, ids []string, concurrent bool) {
	t.Helper()
	got := make([]*DirectoryIntegration, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		read := func() { got[i], errs[i] = c.DirectoryIntegrations.Read(t.Context(), id) }
		if concurrent {
			wg.Go(read)
		} else {
			read()
		}
	}
	wg.Wait()
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatalf("Read(%s): %v", id, errs[i])
		}
		want, err := reference.DirectoryIntegrations.Get(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("Read(%s) (-Get +Read):\n%s", id, diff)
		}
	}
}

// TestDirectoryRead_batched: a refresh of one directory integration costs
// one GET by id, as before; of Cisco's maximum of 10, read at once as
// Terraform does or one after the other, 2 requests (one GET and one
// listing), with the same values a GET gives.
func TestDirectoryRead_batched(t *testing.T) {
	t.Parallel()
	for _, concurrent := range []bool{true, false} {
		t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) {
			t.Parallel()
			srv, url := newMock(t, mockserver.Options{})
			ids := bootstrapDirectories(t, srv, maxDirectoriesOrg)
			c := newTestClient(t, url, testClientSecret)

			readAll(t, c, c, ids[:1], concurrent)
			requireReads(t, srv, 2, 0) // the read, and readAll's own Get

			srv.ResetStats()
			readAll(t, c, newTestClient(t, url, testClientSecret, func(cfg *Config) { cfg.UnbatchedRefresh = true }), ids[1:], concurrent)
			requireReads(t, srv, maxDirectoriesOrg-1, 1) // readAll's Gets, and one listing for the nine reads
		})
	}
}

// TestDirectoryRead_unbatched: with UnbatchedRefresh every read is a GET by
// id.
func TestDirectoryRead_unbatched(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	ids := bootstrapDirectories(t, srv, 4)
	c := newTestClient(t, url, testClientSecret, func(cfg *Config) { cfg.UnbatchedRefresh = true })
	for _, id := range ids {
		if _, err := c.DirectoryIntegrations.Read(t.Context(), id); err != nil {
			t.Fatalf("Read(%s): %v", id, err)
		}
	}
	requireReads(t, srv, 4, 0)
}

// TestDirectoryRead_notListed: an id the listing lacks is read by id: one
// created after the listing is found, one deleted is ErrNotFound.
func TestDirectoryRead_notListed(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	ids := bootstrapDirectories(t, srv, 2)
	c := newTestClient(t, url, testClientSecret)
	for _, id := range ids {
		if _, err := c.DirectoryIntegrations.Read(t.Context(), id); err != nil {
			t.Fatalf("Read(%s): %v", id, err)
		}
	}
	// Outside this client, so nothing forgets its listing.
	late, _, err := srv.Bootstrap("created after the listing", IdentityProviderOkta)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	if d, err := c.DirectoryIntegrations.Read(t.Context(), late.ID); err != nil || d.Name != "created after the listing" {
		t.Errorf("Read of an integration created after the listing = %+v, %v", d, err)
	}
	if _, err := c.DirectoryIntegrations.Read(t.Context(), "00000000-0000-4000-8000-000000000000"); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("Read of an unknown id: %v, want ErrNotFound", err)
	}
	requireReads(t, srv, 2, 0)
}

// TestDirectoryRead_writesForget: after a write through the same client
// (a rename, a token generated or revoked, a create, a delete), the next
// read goes to the service and sees it.
func TestDirectoryRead_writesForget(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	ids := bootstrapDirectories(t, srv, 3)
	c := newTestClient(t, url, testClientSecret)
	ctx := t.Context()
	readAll(t, c, c, ids, false)

	writes := []struct {
		name  string
		write func() error
	}{
		{"rename", func() error { _, err := c.DirectoryIntegrations.Update(ctx, ids[1], "renamed"); return err }},
		{"generate token", func() error { _, err := c.ProvisioningTokens.Generate(ctx, ids[1], nil); return err }},
		{"revoke token", func() error { return c.ProvisioningTokens.Revoke(ctx, ids[1]) }},
		{"create", func() error {
			_, err := c.DirectoryIntegrations.Create(ctx, CreateDirectoryIntegrationRequest{Name: "new", IdentityProvider: IdentityProviderOkta})
			return err
		}},
		{"delete", func() error { return c.DirectoryIntegrations.Delete(ctx, ids[2]) }},
	}
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		srv.ResetStats()
		if _, err := c.DirectoryIntegrations.Read(ctx, ids[1]); err != nil {
			t.Fatalf("Read after %s: %v", w.name, err)
		}
		requireReads(t, srv, 0, 1)
	}
	if d, err := c.DirectoryIntegrations.Read(ctx, ids[1]); err != nil || d.Name != "renamed" {
		t.Errorf("Read after the rename = %+v, %v", d, err)
	}
	if _, err := c.DirectoryIntegrations.Read(ctx, ids[2]); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("Read after the delete: %v, want ErrNotFound", err)
	}
}

// TestDirectoryRead_listingFails: when the listing fails, the reads go by
// id, and the listing is not tried again for every read.
func TestDirectoryRead_listingFails(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	ids := bootstrapDirectories(t, srv, 5)
	srv.SetFaults(mockserver.FaultRule{Route: listDirectoryKey, Rate500: 1})
	c := newTestClient(t, url, testClientSecret)
	readAll(t, c, c, ids, false)
	listings := srv.Stats().Count(listDirectoryKey)
	if listings == 0 {
		t.Fatal("no listing was tried")
	}
	requireReads(t, srv, 5+5, listings) // 5 reads by id (the first, and four after the failed listing) and readAll's 5 Gets
	srv.ResetStats()
	readAll(t, c, c, ids, false)
	requireReads(t, srv, 5+5, 0)
}

// summaryServer lists directory integrations without their user and group
// counts, as a listing of summaries would, and answers a GET by id with
// the whole object; it counts both.
type summaryServer struct {
	gets, lists atomic.Int32
}

// ServeHTTP implements http.Handler.
func (s *summaryServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	const fields = `"name":"dir","identityProvider":"okta","provisioningMethod":"idp","provisioningUrl":"https://scim.example","createdAt":"2026-03-18T12:20:00Z","modifiedAt":"2026-03-18T12:20:00Z"`
	switch id, isGet := strings.CutPrefix(r.URL.Path, directoriesPath+"/"); {
	case r.URL.Path == tokenPath:
		_, _ = io.WriteString(w, `{"access_token":"summary-access-token","token_type":"bearer","expires_in":3600}`)
	case isGet:
		s.gets.Add(1)
		_, _ = fmt.Fprintf(w, `{"id":%q,%s,"userCount":7,"groupCount":2}`, id, fields)
	default:
		s.lists.Add(1)
		_, _ = fmt.Fprintf(w, `{"data":[{"id":"a",%[1]s},{"id":"b",%[1]s},{"id":"c",%[1]s}],"offset":0,"limit":100,"total":3}`, fields)
	}
}

// TestDirectoryRead_incompleteListing: a listing whose items lack fields a
// GET gives (here the counts) serves no read: each is read by id, so a
// user count is never taken as 0.
func TestDirectoryRead_incompleteListing(t *testing.T) {
	t.Parallel()
	srv := &summaryServer{}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c := newTestClient(t, ts.URL, testClientSecret)
	for _, id := range []string{"a", "b", "c"} {
		d, err := c.DirectoryIntegrations.Read(t.Context(), id)
		if err != nil {
			t.Fatalf("Read(%s): %v", id, err)
		}
		if d.ID != id || d.UserCount != 7 || d.GroupCount != 2 {
			t.Errorf("Read(%s) = %+v, want the GET's object with 7 users and 2 groups", id, d)
		}
	}
	if gets, lists := srv.gets.Load(), srv.lists.Load(); gets != 3 || lists != 1 {
		t.Errorf("%d GETs by id and %d listings, want 3 and 1", gets, lists)
	}
}
