package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/idppush"
)

// Defaults of the push subcommand: the SCIM URL of `make mock`, and the
// variable the provider reads its SCIM token from.
const (
	defaultPushURL      = "http://127.0.0.1:8080/identity/v2/scim"
	defaultPushTokenEnv = "SECUREACCESS_SCIM_TOKEN"
)

// runPush is `secureaccess-mock push`: the mock plays the identity
// provider and pushes a directory file to a SCIM endpoint as Okta does
// (internal/idppush), printing one line per change on stdout and a summary
// on stderr. The token is read from an environment variable, never a flag,
// so that it shows in no process listing.
func runPush(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secureaccess-mock push", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), "Usage: secureaccess-mock push -directory FILE [-scim-url URL] [-token-env NAME]\n\n"+
			"Plays the identity provider: pushes the users and groups of a directory file\n"+
			"to a SCIM endpoint in Okta's dialect and request order, and prints one line\n"+
			"per change it made. Pushing again after the file changed sends the updates,\n"+
			"deactivations and member removals.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	dirFile := fs.String("directory", "", "the directory `file` (JSON: users and groups; see cmd/secureaccess-mock/README.md)")
	scimURL := fs.String("scim-url", defaultPushURL, "the SCIM base `URL` (the directory integration's provisioning URL)")
	tokenEnv := fs.String("token-env", defaultPushTokenEnv, "the environment `variable` that holds the provisioning token")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("push: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("push: unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case *dirFile == "":
		return errors.New("push: -directory is required")
	}
	token := getenv(*tokenEnv)
	if token == "" {
		return fmt.Errorf("push: $%s is empty: set it to the directory integration's provisioning token (-token-env names another variable)", *tokenEnv)
	}
	dir, err := idppush.ReadDirectory(*dirFile)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	client, err := idppush.New(*scimURL, token, idppush.Options{})
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	changes, err := client.Push(ctx, dir)
	for _, c := range changes {
		if _, werr := fmt.Fprintln(stdout, c); werr != nil {
			return fmt.Errorf("push: write stdout: %w", werr)
		}
	}
	if err != nil {
		return fmt.Errorf("push: %w (after %d changes)", err, len(changes))
	}
	_, err = fmt.Fprintf(stderr, "pushed %d users and %d groups to %s: %s\n", len(dir.Users), len(dir.Groups), *scimURL, plural(len(changes), "change"))
	return err
}

// plural is "no changes", "1 change", "2 changes".
func plural(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
