/**
 * The `live` alias of a function: read it, shift weighted traffic to a version, restore it.
 * Uses @aws-sdk/client-lambda (GetAlias, UpdateAlias, ListVersionsByFunction).
 */
import { GetAliasCommand, ListVersionsByFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { OpsError } from './errors';
import type { StageTarget } from './stage';

export interface AliasState {
  /** The version that gets the rest of the traffic. */
  readonly primaryVersion: string;
  /** Extra versions and their share (0..1), when traffic is split. */
  readonly weights: Readonly<Record<string, number>>;
}

export async function readAlias(client: LambdaClient, target: StageTarget): Promise<AliasState> {
  try {
    const alias = await client.send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.alias }));
    if (!alias.FunctionVersion) throw new OpsError(`alias ${target.functionName}:${target.alias} has no version`);
    return { primaryVersion: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {} };
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new OpsError(`${target.functionName}:${target.alias} does not exist in ${target.region}; run npm run deploy first`);
    }
    throw error;
  }
}

/** The highest published version number of a function (never $LATEST). */
export async function latestPublishedVersion(client: LambdaClient, target: StageTarget): Promise<string | undefined> {
  let marker: string | undefined;
  let latest: number | undefined;
  // Bounded: 50 pages of 50 versions is far beyond what this system publishes.
  for (let page = 0; page < 50; page += 1) {
    const response = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: target.functionName, Marker: marker, MaxItems: 50 }),
    );
    for (const version of response.Versions ?? []) {
      const number = Number(version.Version);
      if (Number.isInteger(number) && (latest === undefined || number > latest)) latest = number;
    }
    marker = response.NextMarker;
    if (!marker) break;
  }
  return latest === undefined ? undefined : String(latest);
}

/**
 * Point the alias at `primaryVersion` and send `share` (0..1) of the traffic to `extraVersion`.
 * A share of 0 (or no extra version) removes the split.
 */
export async function setAlias(
  client: LambdaClient,
  target: StageTarget,
  primaryVersion: string,
  extra?: { version: string; share: number },
): Promise<AliasState> {
  const weights =
    extra && extra.share > 0 && extra.version !== primaryVersion ? { [extra.version]: Math.round(extra.share * 10_000) / 10_000 } : {};
  await client.send(
    new UpdateAliasCommand({
      FunctionName: target.functionName,
      Name: target.alias,
      FunctionVersion: primaryVersion,
      RoutingConfig: { AdditionalVersionWeights: weights },
    }),
  );
  return { primaryVersion, weights };
}
