package provider

import (
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// TestSweepPrefix checks the cleanup of live runs on a mock: what carries
// the prefix goes, everything else stays, and a prefix without
// testAccPrefix deletes nothing.
func TestSweepPrefix(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	const prefix = testAccPrefix + "0123abcd-"
	mine := seedUser(t, m, scimserver.User{UserName: prefix + "jane@example.com", Active: new(true)})
	other := seedUser(t, m, scimserver.User{UserName: "tfacc-99999999-john@example.com", Active: new(true)})
	keep := seedUser(t, m, scimserver.User{UserName: "jane@example.com", Active: new(true)})
	myGroup := seedGroup(t, m, prefix+"Group", mine.ID, keep.ID)
	keepGroup := seedGroup(t, m, "Group", mine.ID, keep.ID)
	ac := testAdminClient(t, m)
	myDir, err := ac.DirectoryIntegrations.Create(t.Context(), admin.CreateDirectoryIntegrationRequest{Name: prefix + "Dir", IdentityProvider: "okta"})
	if err != nil {
		t.Fatal(err)
	}

	if errs := sweepPrefix(t.Context(), m, "jane"); len(errs) != 1 {
		t.Fatalf("sweepPrefix(\"jane\") = %v, want one error refusing it", errs)
	}
	if _, ok := m.scim(t).User(keep.ID); !ok {
		t.Fatal("sweepPrefix(\"jane\") deleted a user")
	}

	if errs := sweepPrefix(t.Context(), m, prefix); len(errs) != 0 {
		t.Fatalf("sweepPrefix: %v", errs)
	}
	s := m.scim(t)
	for id, want := range map[string]bool{mine.ID: false, other.ID: true, keep.ID: true} {
		if _, ok := s.User(id); ok != want {
			t.Errorf("user %s exists = %t, want %t", id, ok, want)
		}
	}
	for id, want := range map[string]bool{myGroup: false, keepGroup: true} {
		if _, ok := s.Group(id); ok != want {
			t.Errorf("group %s exists = %t, want %t", id, ok, want)
		}
	}
	if _, ok := m.Server.Store().Directory(myDir.ID); ok {
		t.Errorf("directory integration %s is left", myDir.ID)
	}
	if _, ok := m.Server.Store().Directory(m.DirectoryID); !ok {
		t.Error("the bootstrapped directory integration is gone")
	}
}
