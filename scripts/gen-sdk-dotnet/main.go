// Command gen-sdk-dotnet writes the .NET SDK of the partnercenter package from its schema with
// Pulumi's own .NET code generator (github.com/pulumi/pulumi/pkg/v3/codegen/dotnet), the code behind
// `pulumi package gen-sdk --language dotnet`.
//
// It is a module of its own, pinned to pkg/v3 v3.225.1, because the generator left pkg/v3 after that
// release (v3.229.0, the next one the Go module proxy serves, has no codegen/dotnet): it moved to the
// pulumi-dotnet repository's module (pulumi-language-dotnet), which the proxy refuses ("403
// Forbidden: This module version is not available"). v3.225.1 is the newest release of its code that
// can be built here. scripts/gen-sdk (the other languages) stays on the CLI's version.
//
//	go run . <schema.json> <out-dir>   # writes <out-dir>/dotnet
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "partnercenter-gen-sdk"

// logo is the package's icon (64×64). The generator downloads the schema's logoUrl, or Pulumi's own
// logo when there is none, with http.Get; the machines this is built on reach no such host. So every
// request it makes is answered with this file, and nothing leaves the machine.
//
//go:embed logo.png
var logo []byte

type logoOnly struct{}

func (logoOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{"Content-Type": {"image/png"}},
		Body: io.NopCloser(bytes.NewReader(logo)), ContentLength: int64(len(logo)), Request: r}, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen-sdk-dotnet <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := generate(os.Args[1], filepath.Join(os.Args[2], "dotnet")); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk-dotnet: %v\n", err)
		os.Exit(1)
	}
}

func generate(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// The schema refers to no other package, so the binder is given no loader (this release has no
	// schema.NewNullLoader, which scripts/gen-sdk uses): it is asked only for a reference to another package.
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	http.DefaultTransport = logoOnly{}
	// The generator reads the schema's `language.csharp` section (root namespace, version) itself.
	files, err := dotnet.GeneratePackage(tool, pkg, nil, nil)
	if err != nil {
		return fmt.Errorf("dotnet: %w", err)
	}
	for name, data := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
