package e2e

import (
	"os"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestBootstrap_oneApply applies the shipped bootstrap example
// (examples/bootstrap): a directory integration, its token, and a SCIM user
// and group created through an aliased provider configured with that token,
// in one apply. The user and group must land in the new directory, not in
// the harness's, and a second plan must be empty.
//
// It runs here, with the real CLI, rather than through resource.Test: there
// every provider block of a configuration is served by the same in-process
// provider server, so the two blocks' credentials would overwrite each other.
func TestBootstrap_oneApply(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	example, err := os.ReadFile("../../examples/bootstrap/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf.WriteConfig(t, string(example))
	vars := []string{
		"-var", "base_url=" + m.URL,
		"-var", "client_id=" + TestClientID,
		"-var", "client_secret=" + TestClientSecret,
	}

	tf.Apply(t, vars...)
	dir, ok := m.Store().DirectoryByName("OKTA Integration")
	if !ok {
		t.Fatal("the example's directory integration is not in the mock")
	}
	if dir.Token == nil {
		t.Fatal("the example's directory integration has no provisioning token")
	}
	if _, ok := dir.SCIM.UserByUserName("jane.doe@example.com"); !ok {
		t.Error("jane.doe@example.com is not in the new directory")
	}
	if _, ok := dir.SCIM.GroupByDisplayName("OKTA - Secure Access Users"); !ok {
		t.Error("OKTA - Secure Access Users is not in the new directory")
	}
	if users, groups := m.SCIM(t).Counts(); users != 0 || groups != 0 {
		t.Errorf("the harness's directory has %d users and %d groups, want none", users, groups)
	}

	tf.RequireEmptyPlan(t, vars...)

	tf.Destroy(t, vars...)
	if _, ok := m.Store().Directory(dir.ID); ok {
		t.Error("the directory integration survived terraform destroy")
	}
}
