package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestUniqueStringsValidator(t *testing.T) {
	t.Parallel()
	many := make([]string, 0, 20)
	for i := range 10 {
		id := fmt.Sprintf("u%d", i)
		many = append(many, id, id)
	}
	tests := []struct {
		name    string
		in      types.List
		wantErr string
	}{
		{name: "unique", in: stringList([]string{"a", "b", "c"})},
		{name: "empty", in: stringList(nil)},
		{name: "null", in: types.ListNull(types.StringType)},
		{name: "unknown", in: types.ListUnknown(types.StringType)},
		{name: "unknown elements are not duplicates", in: types.ListValueMust(types.StringType, []attr.Value{types.StringUnknown(), types.StringUnknown()})},
		{name: "one duplicate", in: stringList([]string{"a", "b", "a"}), wantErr: `repeats "a" (elements 0 and 2).`},
		{name: "many duplicates are capped", in: stringList(many), wantErr: `repeats "u0" (elements 0 and 1), "u1" (elements 2 and 3), "u2" (elements 4 and 5), "u3" (elements 6 and 7), "u4" (elements 8 and 9), and 5 more.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := &validator.ListResponse{}
			uniqueStringsValidator{}.ValidateList(context.Background(), validator.ListRequest{Path: path.Root("member_ids"), ConfigValue: tt.in}, resp)
			if tt.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("got %d errors, want 1: %v", resp.Diagnostics.ErrorsCount(), resp.Diagnostics)
			}
			if d := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(d, tt.wantErr) {
				t.Errorf("detail %q does not contain %q", d, tt.wantErr)
			}
		})
	}
}

// BenchmarkUniqueStringsValidator10k compares the linear validator with
// listvalidator.UniqueValues, which compares every pair, on 10,000 IDs.
func BenchmarkUniqueStringsValidator10k(b *testing.B) {
	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i)
	}
	req := validator.ListRequest{Path: path.Root("member_ids"), ConfigValue: stringList(ids)}
	for name, v := range map[string]validator.List{"linear": uniqueStringsValidator{}, "listvalidator.UniqueValues": listvalidator.UniqueValues()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				resp := &validator.ListResponse{}
				v.ValidateList(context.Background(), req, resp)
				if resp.Diagnostics.HasError() {
					b.Fatal(resp.Diagnostics)
				}
			}
		})
	}
}
