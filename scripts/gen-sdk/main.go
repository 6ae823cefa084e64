// Command gen-sdk writes the SDKs of the partnercenter package from its schema with Pulumi's own code
// generators (github.com/pulumi/pulumi/pkg/v3/codegen/{nodejs,go,python}), the code behind
// `pulumi package gen-sdk --language <language>`. That command asks the language's host to generate,
// and neither host we can have here does: tried with the CLIs 3.248.0 and 3.276.0 that
// scripts/ensure-pulumi.sh builds,
//   - nodejs and go: "error: method GeneratePackage not implemented" (scripts/pulumi-cli and
//     scripts/pulumi-language-go build hosts that run programs only: the official ones are modules the
//     Go module proxy refuses);
//   - python: "error: no language plugin 'pulumi-language-python' found in the workspace or on your $PATH".
//
// Calling the generators directly is also what Pulumi's own native providers (pulumi-azure-native,
// pulumi-kubernetes) do. The .NET generator left pkg/v3 after v3.225.1: scripts/gen-sdk-dotnet runs
// it from that release.
//
//	go run . <schema.json> <out-dir> <language>...   # writes <out-dir>/<language> for each
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: gen-sdk <schema.json> <out-dir> <language>...")
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2], os.Args[3:]); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
		os.Exit(1)
	}
}

// generators are Pulumi's, by the names `pulumi package gen-sdk --language` takes.
var generators = map[string]func(*schema.Package) (map[string][]byte, error){
	"nodejs": func(pkg *schema.Package) (map[string][]byte, error) {
		// The Node.js generator, unlike the others, expects its section decoded already.
		if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
			return nil, err
		}
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, nil)
	},
	"go": func(pkg *schema.Package) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, pkg, nil)
	},
	// The schema refers to no other package, so the reference loader is never asked.
	"python": func(pkg *schema.Package) (map[string][]byte, error) {
		return python.GeneratePackage(tool, pkg, nil, nil)
	},
}

const tool = "partnercenter-gen-sdk"

func generate(schemaPath, out string, languages []string) error {
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
	for _, language := range languages {
		gen, ok := generators[language]
		if !ok {
			return fmt.Errorf("no generator for %q (nodejs, go and python; .NET is scripts/gen-sdk-dotnet)", language)
		}
		// Each generator reads its own `language.<name>` section of the schema (package names, import paths).
		files, err := gen(pkg)
		if err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		if err := write(filepath.Join(out, language), files); err != nil {
			return err
		}
	}
	return nil
}

func write(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
