// Command gen-sdk writes the Node.js SDK of the partnercenter package from its schema, with Pulumi's
// own code generator (github.com/pulumi/pulumi/pkg/v3/codegen/nodejs), as `pulumi package gen-sdk
// --language nodejs` does. That command asks the Node.js language host to generate, and the host
// this repository builds (scripts/pulumi-cli) implements running programs only; calling the generator
// directly is also what Pulumi's own native providers (pulumi-azure-native, pulumi-kubernetes) do.
//
//	go run . <schema.json> <out-dir>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen-sdk <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
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
	// The schema refers to no other package, so no plugin is loaded to bind it.
	pkg, diags, err := schema.BindSpec(spec, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	// The schema's `language.nodejs` section (the npm package name) as the generator reads it.
	if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
		return err
	}
	files, err := nodejs.GeneratePackage("partnercenter-gen-sdk", pkg, nil, nil, false, nil)
	if err != nil {
		return err
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
