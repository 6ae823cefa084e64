//go:build tools

// Package tools pins the YAML language host (pulumi-language-yaml) so that scripts/ensure-pulumi.sh
// can build it from the Go module proxy.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
