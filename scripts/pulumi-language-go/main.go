// Command pulumi-language-go is the Go language host that the Pulumi engine starts to run a program
// (`runtime: go`): it builds the program with the Go toolchain (or takes the binary named by
// `runtime: options: binary:`) and runs it with the engine's addresses and the stack's configuration
// in the environment variables the Go SDK (github.com/pulumi/pulumi/sdk/v3/go/pulumi) reads.
//
// Why we build our own: the official host is its own nested Go module
// (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3), and the Go module proxy reachable from our
// machines refuses it (403 "This module version is not available", for v3.248.0, v3.276.0 and the
// version list alike), while it serves sdk/v3. This host implements the part of the LanguageRuntime
// protocol that `pulumi up`, `preview`, `refresh`, `destroy` and `install` use. It lives in its own
// module (not beside the Node.js host in scripts/pulumi-cli) so that a change of it rebuilds this
// host only, never the CLI. A machine with the official CLI on PATH uses the official host instead.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/constant"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	engineAddress := engineAddressFromArgs(os.Args[1:])
	host := &goLanguageHost{engineAddress: engineAddress}
	// End with the engine: after a kill -9 of the CLI nothing else would stop this process.
	if engineAddress != "" {
		ctx, engineGone := context.WithCancel(context.Background())
		if err := rpcutil.Healthcheck(ctx, engineAddress, 2*time.Second, engineGone); err == nil {
			go func() {
				<-ctx.Done()
				os.Exit(1)
			}()
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of our stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: %v\n", err)
		os.Exit(1)
	}
}

// engineAddressFromArgs returns the last positional argument: the engine passes its own flags
// (--logtostderr, -v=N, --tracing URL, -root DIR, -binary PATH) before the engine's address.
func engineAddressFromArgs(args []string) string {
	address := ""
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--tracing" || arg == "-tracing" || arg == "-root" || arg == "--root" ||
			arg == "-binary" || arg == "--binary" || arg == "-buildTarget" || arg == "--buildTarget":
			i++ // the flag's value
		case strings.HasPrefix(arg, "-"):
		default:
			address = arg
		}
	}
	return address
}

type goLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *goLanguageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the version of the Go SDK this host was built against: the language
// protocol is the engine's, so one host serves CLIs of other minor versions too.
func (h *goLanguageHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(dep.Version, "v")}, nil
			}
		}
	}
	return &pulumirpc.PluginInfo{}, nil
}

// The engine loads a resource plugin when the program first registers one of its resources; the
// partnercenter plugin is installed by scripts/install-plugin.sh, nothing is downloaded.
func (h *goLanguageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *goLanguageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *goLanguageHost) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *goLanguageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("go is not on PATH: %w", err)
	}
	out, err := exec.Command(goBin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: goBin, Version: strings.TrimSpace(string(out))}, nil
}

// InstallDependencies (`pulumi install`) downloads the modules the program's go.mod names.
func (h *goLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
		return sendErr
	}
	if err != nil {
		return fmt.Errorf("go mod download in %s failed: %w", dir, err)
	}
	return nil
}

func (h *goLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	options := map[string]any{}
	if opts := req.GetInfo().GetOptions(); opts != nil {
		options = opts.AsMap()
	}

	program, cleanup, err := programBinary(ctx, programDir, options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	defer cleanup()

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, program, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(),
		pulumi.EnvMonitor+"="+req.GetMonitorAddress(),
		pulumi.EnvEngine+"="+h.engineAddress,
		pulumi.EnvOrganization+"="+req.GetOrganization(),
		pulumi.EnvProject+"="+req.GetProject(),
		pulumi.EnvStack+"="+req.GetStack(),
		pulumi.EnvPulumiRootDirectory+"="+req.GetInfo().GetRootDirectory(),
		pulumi.EnvConfig+"="+string(config),
		pulumi.EnvConfigSecretKeys+"="+string(secretKeys),
		pulumi.EnvParallel+"="+strconv.Itoa(int(req.GetParallel())),
		pulumi.EnvDryRun+"="+strconv.FormatBool(req.GetDryRun()),
	)
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			// The SDK has already reported the error to the engine.
			if exit.ExitCode() == constant.ExitStatusLoggedError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// programBinary is the `binary:` option's executable (relative to the program's directory), or the
// program built by `go build` into a temporary directory, as the official host does; the Go build
// cache (GOCACHE) makes the builds after the first one a link.
func programBinary(ctx context.Context, programDir string, options map[string]any) (string, func(), error) {
	if binary, ok := options["binary"].(string); ok && binary != "" {
		if !filepath.IsAbs(binary) {
			binary = filepath.Join(programDir, binary)
		}
		if _, err := os.Stat(binary); err != nil {
			return "", nil, fmt.Errorf("the program's binary (runtime option `binary`) is missing: %w", err)
		}
		return binary, func() {}, nil
	}
	out, err := os.MkdirTemp("", "pulumi-go.")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(out) }
	binary := filepath.Join(out, "program")
	target := "."
	if t, ok := options["buildTarget"].(string); ok && t != "" {
		target = t
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, target)
	build.Dir = programDir
	build.Stdout = os.Stderr
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("go build of the program in %s failed: %w", programDir, err)
	}
	return binary, cleanup, nil
}
