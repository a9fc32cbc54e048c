package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// TestMain runs the tests, or with -sweep the sweepers: in live mode,
//
//	go test ./internal/provider/ -v -sweep=all
//
// deletes every user, group and directory integration of the service whose
// name starts with testAccPrefix, left behind by a run that was killed.
// The -sweep value is the region of other providers; any value works here.
//
// Against the in-process mock the provider keeps Cisco's rate limit windows
// at the scale mocktest gives the mock's (mocktest.RateScale), so that in
// strict mode, where the mock enforces them, the tests stay inside them at
// test speed. In live mode the windows are Cisco's, unless
// SECUREACCESS_MOCK_RATE_SCALE says the service is a mock scaled alike.
func TestMain(m *testing.M) {
	if !testAccLive() || os.Getenv(mocktest.EnvRateScale) != "" {
		testWindowScale = strconv.FormatFloat(mocktest.RateScale(nil), 'g', -1, 64)
	}
	resource.TestMain(m)
}

func init() {
	resource.AddTestSweepers("secureaccess_scim_group", &resource.Sweeper{
		Name: "secureaccess_scim_group",
		F:    sweepLive,
	})
	resource.AddTestSweepers("secureaccess_scim_user", &resource.Sweeper{
		Name:         "secureaccess_scim_user",
		Dependencies: []string{"secureaccess_scim_group"},
		F:            sweepLive,
	})
	resource.AddTestSweepers("secureaccess_directory_integration", &resource.Sweeper{
		Name:         "secureaccess_directory_integration",
		Dependencies: []string{"secureaccess_scim_user"},
		F:            sweepLive,
	})
}

// sweepLive deletes what carries testAccPrefix on the service of the
// environment (sweepPrefix; deleting twice is harmless). It refuses to run
// without SECUREACCESS_BASE_URL: a sweeper never touches the default
// endpoint by accident.
func sweepLive(string) error {
	if !testAccLive() {
		return fmt.Errorf("sweeping needs %s (and %s, and for directory integrations %s and %s)", envBaseURL, envSCIMToken, envClientID, envClientSecret)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return errors.Join(sweepPrefix(ctx, liveTarget(), testAccPrefix)...)
}
