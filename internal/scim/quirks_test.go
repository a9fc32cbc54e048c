package scim

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// TestPagingQuirks lists a directory in pages of 2 from a mock that fills
// in a ListResponse's paging fields as other servers do: each user comes
// exactly once, whatever itemsPerPage and startIndex say, because the
// client follows the page's own length and totalResults.
func TestPagingQuirks(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"no-items-per-page", "items-per-page-requested", "no-start-index", "no-meta", "attribute-case", "integer-ids", "base64-ids"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q, err := scimserver.ParseQuirks(name)
			if err != nil {
				t.Fatal(err)
			}
			f := newFixtureWith(t, mockserver.Options{Seed: 1, Quirks: q})
			var want []string
			for i := range 5 {
				u, err := f.c.Users.Create(t.Context(), &User{UserName: fmt.Sprintf("page%d@example.com", i), Active: ptr(true)})
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, u.ID)
			}
			var got []string
			for u, err := range f.c.Users.All(t.Context(), &ListOptions{Count: 2}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("users listed in pages of 2 (-want +got):\n%s", diff)
			}
			// The refresh lists a collection past RefreshThreshold reads,
			// and serves the rest from the listing.
			for i := range RefreshThreshold {
				u, err := f.c.Users.Create(t.Context(), &User{UserName: fmt.Sprintf("more%d@example.com", i)})
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, u.ID)
			}
			for _, id := range want {
				u, err := f.c.Refresh.User(t.Context(), id)
				if err != nil || u.ID != id {
					t.Fatalf("Refresh.User(%s) = %+v, %v", id, u, err)
				}
			}
			if n := f.srv.Stats().Count("GET /identity/v2/scim/Users"); n < 4 {
				t.Errorf("%d listings, want the 3 pages of All and the refresh's", n)
			}
		})
	}
}
