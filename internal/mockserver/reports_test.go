package mockserver_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// identity is one Reports identity.
type identity struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Type  struct {
		ID    int    `json:"id"`
		Label string `json:"label"`
		Type  string `json:"type"`
	} `json:"type"`
	Deleted bool `json:"deleted"`
}

// short is an identity as "label/type".
func (i identity) short() string { return i.Label + "/" + i.Type.Type }

func TestIdentities(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	_, okta, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	_, entra, err := e.srv.Bootstrap("Entra", "entra_id")
	if err != nil {
		t.Fatal(err)
	}
	e.scimUser(okta, "jane@example.com", "Jane Doe")
	e.scimGroup(okta, "Engineering")
	e.scimUser(entra, "bob@example.com", "")
	e.scimGroup(entra, "Sales Engineering")

	all := []string{
		"Jane Doe (jane@example.com)/directory_user", "Engineering/directory_group",
		"bob@example.com/directory_user", "Sales Engineering/directory_group",
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", all},
		{"?search=ENGINEERING", []string{all[1], all[3]}},
		{"?search=jane", all[:1]},
		{"?identitytypes=directory_user", []string{all[0], all[2]}},
		{"?identitytypes=directory_group,directory_user", all},
		{"?identitytypes=directory_group&search=sales", all[3:]},
		{"?identitytypes=network", nil},
		{"?offset=1&limit=2", all[1:3]},
		{"?offset=3&limit=100", all[3:]},
		{"?offset=4", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			r := e.on(t).send(http.MethodGet, "/reports/v2/identities"+tc.query, admin, nil)
			var page struct {
				Data []identity
				Meta map[string]any
			}
			r.json(t, &page)
			var got []string
			for _, id := range page.Data {
				got = append(got, id.short())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("identities mismatch (-want +got):\n%s", diff)
			}
			if page.Meta == nil {
				t.Errorf("no meta object in %s", r.body)
			}
		})
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?offset=x"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			wantMessage(t, e.on(t).send(http.MethodGet, "/reports/v2/identities"+q, admin, nil), http.StatusBadRequest)
		})
	}
}

func TestIdentityIDsAreStable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	e.scimUser(scimToken, "a@example.com", "A")
	bID := e.scimUser(scimToken, "b@example.com", "B")
	e.scimGroup(scimToken, "G")

	list := func() []identity {
		var page struct{ Data []identity }
		e.send(http.MethodGet, "/reports/v2/identities", admin, nil).json(t, &page)
		return page.Data
	}
	before := list()
	if r := e.send(http.MethodDelete, "/identity/v2/scim/Users/"+bID, scimToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete user: %d %s", r.status, r.body)
	}
	e.scimUser(scimToken, "c@example.com", "C")
	after := list()

	want := []identity{before[0], before[2], after[2]}
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("identities after delete and create (-want +got):\n%s", diff)
	}
	if after[2].ID <= before[2].ID {
		t.Errorf("new identity ID %d reuses or precedes %d", after[2].ID, before[2].ID)
	}
	wantType := identity{ID: before[0].ID, Label: "A (a@example.com)"}
	wantType.Type.ID, wantType.Type.Label, wantType.Type.Type = 7, "Directory Users", "directory_user"
	if diff := cmp.Diff(wantType, before[0]); diff != "" {
		t.Errorf("user identity shape (-want +got):\n%s", diff)
	}
}

func TestSCIMIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, tokA, err := e.srv.Bootstrap("A", "okta")
	if err != nil {
		t.Fatal(err)
	}
	_, tokB, err := e.srv.Bootstrap("B", "entra_id")
	if err != nil {
		t.Fatal(err)
	}
	userID := e.scimUser(tokA, "jane@example.com", "Jane Doe")
	groupID := e.scimGroup(tokA, "Engineering")

	cases := []struct {
		name      string
		token     string
		path      string
		wantFound bool
	}{
		{"A gets its user", tokA, "/identity/v2/scim/Users/" + userID, true},
		{"B cannot get A's user", tokB, "/identity/v2/scim/Users/" + userID, false},
		{"B cannot get A's group", tokB, "/identity/v2/scim/Groups/" + groupID, false},
		{"A filters its user", tokA, `/identity/v2/scim/Users?filter=userName%20eq%20%22jane%40example.com%22`, true},
		{"B's filter finds nothing", tokB, `/identity/v2/scim/Users?filter=userName%20eq%20%22jane%40example.com%22`, false},
		{"B's group filter finds nothing", tokB, `/identity/v2/scim/Groups?filter=displayName%20eq%20%22Engineering%22`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := e.on(t).send(http.MethodGet, tc.path, tc.token, nil)
			var list struct {
				TotalResults *int `json:"totalResults"`
			}
			r.json(t, &list)
			switch {
			case list.TotalResults != nil:
				if r.status != http.StatusOK || (*list.TotalResults == 1) != tc.wantFound {
					t.Errorf("status %d totalResults %d, want found=%v", r.status, *list.TotalResults, tc.wantFound)
				}
			case tc.wantFound:
				if r.status != http.StatusOK {
					t.Errorf("status = %d, want 200; body %s", r.status, r.body)
				}
			default:
				wantSCIMError(t, r, http.StatusNotFound)
			}
		})
	}
	// B cannot change or delete A's objects either.
	wantSCIMError(t, e.send(http.MethodDelete, "/identity/v2/scim/Users/"+userID, tokB, nil), http.StatusNotFound)
	if r := e.send(http.MethodGet, "/identity/v2/scim/Users/"+userID, tokA, nil); r.status != http.StatusOK {
		t.Errorf("A's user after B's delete attempt: %d %s", r.status, r.body)
	}
}
