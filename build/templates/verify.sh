#!/usr/bin/env bash
# Proves, in a throwaway copy of the repository, that 'dotnet tool restore && dotnet ef migrations add' works for both
# providers (a Probe migration, which must be empty: the model has no change without a migration), then the
# monolith-usecase item template: installs it into a throwaway template hive, generates several use cases
# (command and query, each access rule family, idempotent) into a throwaway copy of the repository, checks the files
# land where STYLE.md says and carry no leftover tokens or stubs, then builds the Application tests with warnings as
# errors and runs the generated tests. Exits non-zero on any failure. Touches nothing outside its temp directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
template="$here/usecase"

work=$(mktemp -d "${TMPDIR:-/tmp}/monolith-usecase-verify.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "verify: FAIL: $*" >&2; exit 1; }
step() { echo "verify: $*"; }

hive="$work/hive"
copy="$work/repo"
mkdir -p "$hive" "$copy"

step "copying the repository into $copy"
(cd "$repo" && tar --exclude=bin --exclude=obj --exclude=TestResults -cf - \
    src tests build .config Directory.Build.props Directory.Packages.props global.json Monolith.sln .editorconfig) | tar -xf - -C "$copy"

step "dotnet tool restore, then dotnet ef migrations add Probe for both providers (thrown away with the copy)"
(cd "$copy" && dotnet tool restore) >"$work/tool.log" 2>&1 || { cat "$work/tool.log"; fail "dotnet tool restore"; }
(cd "$copy" && bash build/add-migration.sh Probe) >"$work/ef.log" 2>&1 || { cat "$work/ef.log"; fail "build/add-migration.sh Probe"; }
for provider in Postgres Sqlite; do
  probe=$(find "$copy/src/Monolith.Infrastructure.Migrations.$provider/Migrations" -name '*_Probe.cs' ! -name '*.Designer.cs')
  [ -n "$probe" ] || { cat "$work/ef.log"; fail "$provider: no Probe migration written"; }
  if grep -q 'migrationBuilder\.' "$probe"; then
    cat "$probe"; fail "$provider: the model has changes no migration captures (run build/add-migration.sh)"
  fi
done

# DOTNET_CLI_HOME and the custom hive keep the install out of the machine's own template cache.
new() { DOTNET_CLI_HOME="$work/cli-home" dotnet new "$@" --debug:custom-hive "$hive"; }

step "installing the template into a throwaway hive"
new install "$template" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dotnet new install"; }

area=VerifyTemplate
feature=Things
# name | extra arguments | request file suffix
cases=(
  "CancelThing|--kind command|Command"
  "GetThing|--kind query|Query"
  "RegisterThing|--access authenticated --idempotent|Command"
  "ListThings|--kind query --access ops|Query"
  "TransferThing|--access organization-owner --idempotent|Command"
  "ExpireThings|--access system|Command"
  "LookUpThing|--kind query --access anonymous|Query"
)

expected_tests=0
for case in "${cases[@]}"; do
  IFS='|' read -r name extra suffix <<<"$case"
  step "generating $name ($extra)"
  # shellcheck disable=SC2086 # $extra is a list of arguments
  (cd "$copy" && new monolith-usecase --name "$name" --area "$area" --feature "$feature" $extra) >"$work/new.log" 2>&1 \
    || { cat "$work/new.log"; fail "dotnet new monolith-usecase --name $name"; }

  dir="$copy/src/Monolith.Application/$area/$feature/$name"
  test_file="$copy/tests/Monolith.Application.Tests/$area/$feature/${name}Tests.cs"
  for file in "$dir/$name$suffix.cs" "$dir/${name}Handler.cs" "$dir/${name}Validator.cs" "$test_file"; do
    [ -f "$file" ] || fail "$name: expected $file"
  done
  [ "$(find "$dir" -type f | wc -l)" -eq 3 ] || fail "$name: expected exactly 3 files in $dir, got: $(ls "$dir")"
  grep -q "^namespace Monolith.Application.$area.$feature.$name;$" "$dir/${name}Handler.cs" || fail "$name: handler namespace"
  grep -q "^namespace Monolith.Application.Tests.$area.$feature;$" "$test_file" || fail "$name: test namespace"
  grep -q "internal sealed class ${name}Handler" "$dir/${name}Handler.cs" || fail "$name: handler is not internal sealed"
  grep -q "internal sealed class ${name}Validator" "$dir/${name}Validator.cs" || fail "$name: validator is not internal sealed"
  expected_tests=$((expected_tests + $(grep -c '\[Fact\]' "$test_file")))
done

step "refusing what it must refuse: no --name, and overwriting an existing use case"
if (cd "$copy" && new monolith-usecase --area "$area" --feature "$feature") >"$work/new.log" 2>&1; then
  fail "dotnet new monolith-usecase without --name succeeded (it would name the use case after the directory)"
fi
if (cd "$copy" && new monolith-usecase --name CancelThing --area "$area" --feature "$feature") >"$work/new.log" 2>&1; then
  fail "dotnet new monolith-usecase overwrote an existing use case without --force"
fi

step "checking for leftover template tokens and forbidden stubs"
generated=("$copy/src/Monolith.Application/$area" "$copy/tests/Monolith.Application.Tests/$area")
if grep -rnE 'UseCaseName|AreaName|FeatureName|RequestKind|SubjectId|IAccessRequest|MinimumRoleValue|^#(if|else|elif|endif)' "${generated[@]}"; then
  fail "leftover template tokens"
fi
if grep -rnE 'TODO|FIXME|HACK|NotImplementedException|SaveChanges' "${generated[@]}"; then
  fail "forbidden stub or SaveChanges in generated code"
fi
grep -q 'MinimumRole => OrganizationRole.Admin;' "$copy/src/Monolith.Application/$area/$feature/CancelThing/CancelThingCommand.cs" \
  || fail "default command access is not organization-admin"
grep -q 'MinimumRole => OrganizationRole.Member;' "$copy/src/Monolith.Application/$area/$feature/GetThing/GetThingQuery.cs" \
  || fail "default query access is not organization-member"
grep -q 'IQuery<GetThingResult>' "$copy/src/Monolith.Application/$area/$feature/GetThing/GetThingQuery.cs" || fail "query is not an IQuery"

step "building tests/Monolith.Application.Tests (warnings are errors)"
(cd "$copy" && dotnet build tests/Monolith.Application.Tests -p:TreatWarningsAsErrors=true -nologo -v:q) >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "build"; }

step "running the generated tests (expecting $expected_tests)"
(cd "$copy" && dotnet test tests/Monolith.Application.Tests --no-build --nologo \
    --filter "FullyQualifiedName~Monolith.Application.Tests.$area.") >"$work/test.log" 2>&1 \
  || { cat "$work/test.log"; fail "tests"; }
summary=$(grep -E 'Passed!|Failed!' "$work/test.log" | tail -n 1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
[ "${passed:-0}" -eq "$expected_tests" ] || { cat "$work/test.log"; fail "expected $expected_tests passing tests, got '${summary}'"; }

step "the generated tests can fail: dropping the validator rule of CancelThing"
validator="$copy/src/Monolith.Application/$area/$feature/CancelThing/CancelThingValidator.cs"
sed -i '/RuleFor(r => r.OrganizationId).NotEmpty();/d' "$validator"
if (cd "$copy" && dotnet test tests/Monolith.Application.Tests --nologo \
    --filter "FullyQualifiedName~Monolith.Application.Tests.$area.$feature.CancelThingTests") >"$work/mutant.log" 2>&1; then
  cat "$work/mutant.log"; fail "the generated test still passes without the validator rule"
fi
grep -q 'Validate_EmptyOrganizationId_IsRejected' "$work/mutant.log" || { cat "$work/mutant.log"; fail "mutant failed for another reason"; }

echo "verify: OK: ${#cases[@]} use cases generated, built with warnings as errors; $summary"
