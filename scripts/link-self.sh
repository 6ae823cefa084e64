#!/usr/bin/env bash
# Lets programs inside this repo (examples/, test/e2e/programs/, the demo) import "pulumi-partnercenter"
# as a user's program would, and lets the dynamic-provider process `require` it, without a second copy
# of @pulumi/pulumi: node_modules/pulumi-partnercenter points at the repo itself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -e node_modules/pulumi-partnercenter ] || ln -s .. node_modules/pulumi-partnercenter
# The generated Node.js SDK of the native provider, as `npm install @pulumi-partnercenter/native` would
# give it: its compiled files (npm run build writes generated/nodejs/bin).
mkdir -p node_modules/@pulumi-partnercenter
[ -e node_modules/@pulumi-partnercenter/native ] || ln -s ../../generated/nodejs/bin node_modules/@pulumi-partnercenter/native
