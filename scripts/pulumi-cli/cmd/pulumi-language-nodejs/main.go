// Command pulumi-language-nodejs is the Node.js language host that the Pulumi engine starts to run a
// program (`runtime: nodejs`).
//
// Why we build our own: the official host lives in its own nested Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which has no tags, and the Go
// module proxy reachable from our machines and our users' offline CI refuses every pseudo-version of
// it (403 "This module version is not available"), while it serves pkg/v3 and sdk/v3 at the pinned
// tag. This host implements the part of the LanguageRuntime protocol that `pulumi up`, `preview`,
// `refresh`, `destroy` and the Automation API use, on the same gRPC types the engine is built from,
// and hands the program to the @pulumi/pulumi npm package's own runner (`@pulumi/pulumi/cmd/run`),
// exactly as the official host does. A machine with the official CLI on PATH never builds this.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// bailExitCode is what @pulumi/pulumi/cmd/run exits with when it has already reported the error
// to the engine, so the engine must not print a second, vaguer one.
const bailExitCode = 32

func main() {
	engineAddress := engineAddressFromArgs(os.Args[1:])
	host := &nodeLanguageHost{engineAddress: engineAddress}
	// End with the engine, as the official host does: after a kill -9 of the CLI nothing else would
	// stop this process (it served no more calls, but lived on).
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
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of our stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// engineAddressFromArgs returns the last positional argument: the engine passes its own flags
// (--logtostderr, -v=N, --tracing URL, -root DIR) before the engine's address.
func engineAddressFromArgs(args []string) string {
	address := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--tracing" || arg == "-tracing" || arg == "-root" || arg == "--root" ||
			arg == "-binary" || arg == "--binary" || arg == "-tsconfig" || arg == "--tsconfig" ||
			arg == "-nodeargs" || arg == "--nodeargs":
			i++ // skip the flag's value
		case strings.HasPrefix(arg, "-"):
		default:
			address = arg
		}
	}
	return address
}

type nodeLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *nodeLanguageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeLanguageHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

// Programs of this project use only dynamic providers, which the engine loads as the
// pulumi-resource-pulumi-nodejs plugin on PATH; they need no downloaded provider plugins.
func (h *nodeLanguageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *nodeLanguageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *nodeLanguageHost) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *nodeLanguageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "node is not on PATH: %v", err)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// GetProgramDependencies lists the program's direct npm dependencies from its package.json.
func (h *nodeLanguageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(dir, "package.json"), err)
	}
	deps := []*pulumirpc.DependencyInfo{}
	for name, v := range pkg.Dependencies {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// InstallDependencies runs `npm install` in the program's directory, streaming its output.
func (h *nodeLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
		return sendErr
	}
	if err != nil {
		return fmt.Errorf("npm install in %s failed: %w", dir, err)
	}
	return nil
}

func (h *nodeLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	options := map[string]any{}
	if opts := req.GetInfo().GetOptions(); opts != nil {
		options = opts.AsMap()
	}

	runner, err := resolveFrom(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(
			"could not find @pulumi/pulumi in %s: run `npm install` there first (%v)", programDir, err)}, nil
	}

	var args []string
	if nodeargs, ok := options["nodeargs"].(string); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runner,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engineAddress,
		"--organization", req.GetOrganization(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--parallel", strconv.Itoa(int(req.GetParallel())),
	)
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		args = append(args, "--root-directory", root)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetQueryMode() {
		args = append(args, "--query-mode")
	}
	args = append(args, entryPoint(req))
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript),
	)
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// entryPoint is "." when Pulumi.yaml names no `main` (the runner then reads package.json), or
// the absolute path of the program's main file.
func entryPoint(req *pulumirpc.RunRequest) string {
	info := req.GetInfo()
	if info == nil {
		if req.GetProgram() == "" {
			return "."
		}
		return req.GetProgram()
	}
	if info.GetEntryPoint() == "" || info.GetEntryPoint() == "." {
		return "."
	}
	return filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
}

// resolveFrom asks node to resolve a module the way the program itself would.
func resolveFrom(dir, module string) (string, error) {
	cmd := exec.Command("node", "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("%v: %s", err, firstLine(string(exit.Stderr)))
		}
		return "", err
	}
	return string(out), nil
}

func firstLine(s string) string {
	scanner := bufio.NewScanner(strings.NewReader(s))
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			return line
		}
	}
	return ""
}
