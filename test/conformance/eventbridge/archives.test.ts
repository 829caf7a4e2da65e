import {
  CancelReplayCommand,
  CreateArchiveCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { API, archive, bus, failure } from './api-support';

/**
 * EventBridge's API behaviours that the local cloud must share, each from its API reference page: archives and replays.
 */
let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const busArnOf = (t: ConformanceTarget, account: string, name: string) =>
  `arn:aws:events:${t.region}:${account}:event-bus/${name}`;

const archiveCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'CreateArchive on a bus that does not exist fails with ResourceNotFoundException',
    source: `${API}/API_CreateArchive.html#API_CreateArchive_Errors`,
    run: async (t) => {
      const { arn } = await bus(t, 'arch-src');
      const ghost = t.uniqueName('ghost');
      const error = await failure(
        t.eventBridge.send(
          new CreateArchiveCommand({
            ArchiveName: t.uniqueName('a'),
            EventSourceArn: arn.replace(/event-bus\/.*/, `event-bus/${ghost}`),
          }),
        ),
      );
      expect(error).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Event bus ${ghost} does not exist.`,
      });
    },
  },
  {
    name: 'CreateArchive of an existing name fails with ResourceAlreadyExistsException',
    source: `${API}/API_CreateArchive.html#API_CreateArchive_Errors`,
    run: async (t) => {
      const source = await bus(t, 'arch-dup');
      const { name } = await archive(t, source.arn);
      const error = await failure(
        t.eventBridge.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: source.arn })),
      );
      expect(error).toMatchObject({
        name: 'ResourceAlreadyExistsException',
        message: `Archive ${name} already exists.`,
      });
    },
  },
  {
    name: 'DescribeArchive of a missing archive fails with ResourceNotFoundException',
    source: `${API}/API_DescribeArchive.html#API_DescribeArchive_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(
        await failure(t.eventBridge.send(new DescribeArchiveCommand({ ArchiveName: name }))),
      ).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Archive ${name} does not exist.`,
      });
    },
  },
  {
    name: 'UpdateArchive with nothing to change fails with ValidationException',
    source: `${API}/API_UpdateArchive.html`,
    run: async (t) => {
      expect(
        await failure(t.eventBridge.send(new UpdateArchiveCommand({ ArchiveName: t.uniqueName('ghost') }))),
      ).toMatchObject({
        name: 'ValidationException',
        message: 'At least one of EventPattern, RetentionDays or Description must be provided.',
      });
    },
  },
  {
    name: 'UpdateArchive changes the archive and answers its state',
    source: `${API}/API_UpdateArchive.html#API_UpdateArchive_ResponseSyntax`,
    run: async (t) => {
      const source = await bus(t, 'arch-upd');
      const { name, arn } = await archive(t, source.arn);
      const updated = await t.eventBridge.send(
        new UpdateArchiveCommand({ ArchiveName: name, Description: 'one week', RetentionDays: 7 }),
      );
      expect(updated).toMatchObject({ ArchiveArn: arn, State: 'ENABLED', CreationTime: expect.any(Date) });
      const described = await t.eventBridge.send(new DescribeArchiveCommand({ ArchiveName: name }));
      expect(described).toMatchObject({
        Description: 'one week',
        RetentionDays: 7,
        State: 'ENABLED',
        EventSourceArn: source.arn,
      });
    },
  },
  {
    name: 'UpdateArchive of a missing archive fails with ResourceNotFoundException',
    source: `${API}/API_UpdateArchive.html#API_UpdateArchive_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(
        await failure(t.eventBridge.send(new UpdateArchiveCommand({ ArchiveName: name, RetentionDays: 2 }))),
      ).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Archive ${name} does not exist.`,
      });
    },
  },
  {
    name: 'ListArchives by the ARN of a missing bus fails with ResourceNotFoundException',
    source: `${API}/API_ListArchives.html#API_ListArchives_Errors`,
    run: async (t) => {
      const source = await bus(t, 'arch-list');
      const ghost = t.uniqueName('ghost');
      const error = await failure(
        t.eventBridge.send(
          new ListArchivesCommand({
            EventSourceArn: source.arn.replace(/event-bus\/.*/, `event-bus/${ghost}`),
          }),
        ),
      );
      expect(error).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Event bus ${ghost} does not exist.`,
      });
    },
  },
  {
    name: 'DeleteArchive of a missing archive fails with ResourceNotFoundException',
    source: `${API}/API_DeleteArchive.html#API_DeleteArchive_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      expect(
        await failure(t.eventBridge.send(new DeleteArchiveCommand({ ArchiveName: name }))),
      ).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Archive ${name} does not exist.`,
      });
    },
  },
];

/** A replay request over the last minute, onto `destination`. */
const replayOf = (name: string, archiveArn: string, destination: string, endOffsetMs = 0) => {
  const end = new Date(Date.now() + endOffsetMs);
  return new StartReplayCommand({
    ReplayName: name,
    EventSourceArn: archiveArn,
    EventStartTime: new Date(Date.now() - 60_000),
    EventEndTime: end,
    Destination: { Arn: destination },
  });
};

const replayCases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'StartReplay of a missing archive fails with ValidationException on EventSourceArn',
    source: `${API}/API_StartReplay.html#API_StartReplay_Errors`,
    run: async (t) => {
      const source = await bus(t, 'rp-src');
      const ghost = t.uniqueName('ghost');
      const archiveArn = source.arn.replace(/event-bus\/.*/, `archive/${ghost}`);
      expect(
        await failure(t.eventBridge.send(replayOf(t.uniqueName('r'), archiveArn, source.arn))),
      ).toMatchObject({
        name: 'ValidationException',
        message: `Parameter EventSourceArn is not valid. Reason: Archive ${ghost} does not exist.`,
      });
    },
  },
  {
    name: 'StartReplay onto another bus fails with ValidationException',
    source: `${API}/API_StartReplay.html`,
    run: async (t) => {
      const source = await bus(t, 'rp-src');
      const other = await bus(t, 'rp-other');
      const { arn } = await archive(t, source.arn);
      expect(await failure(t.eventBridge.send(replayOf(t.uniqueName('r'), arn, other.arn)))).toMatchObject({
        name: 'ValidationException',
        message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
      });
    },
  },
  {
    name: 'StartReplay onto a missing bus fails with ResourceNotFoundException',
    source: `${API}/API_StartReplay.html#API_StartReplay_Errors`,
    run: async (t) => {
      const source = await bus(t, 'rp-src');
      const { arn } = await archive(t, source.arn);
      const ghost = t.uniqueName('ghost');
      const account = source.arn.split(':')[4] ?? '';
      expect(
        await failure(t.eventBridge.send(replayOf(t.uniqueName('r'), arn, busArnOf(t, account, ghost)))),
      ).toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Event bus ${ghost} does not exist.`,
      });
    },
  },
  {
    name: 'StartReplay refuses an end time not after the start time',
    source: `${API}/API_StartReplay.html`,
    run: async (t) => {
      const source = await bus(t, 'rp-src');
      const { arn } = await archive(t, source.arn);
      expect(
        await failure(t.eventBridge.send(replayOf(t.uniqueName('r'), arn, source.arn, -60_000))),
      ).toMatchObject({
        name: 'ValidationException',
        message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      });
    },
  },
  {
    name: 'StartReplay answers STARTING; a replay name is taken; CancelReplay answers CANCELLING',
    source: `${API}/API_CancelReplay.html`,
    run: async (t) => {
      const source = await bus(t, 'rp-src');
      const { arn } = await archive(t, source.arn);
      const name = t.uniqueName('r');
      const started = await t.eventBridge.send(replayOf(name, arn, source.arn));
      expect(started).toMatchObject({
        State: 'STARTING',
        ReplayArn: expect.stringMatching(new RegExp(`:replay/${name}$`)),
      });
      expect(await failure(t.eventBridge.send(replayOf(name, arn, source.arn)))).toMatchObject({
        name: 'ResourceAlreadyExistsException',
        message: `Replay ${name} already exists.`,
      });
      const cancelled = await t.eventBridge.send(new CancelReplayCommand({ ReplayName: name }));
      expect(cancelled).toEqual(
        expect.objectContaining({ ReplayArn: started.ReplayArn, State: 'CANCELLING' }),
      );
      const described = await t.eventBridge.send(new DescribeReplayCommand({ ReplayName: name }));
      expect(['CANCELLING', 'CANCELLED']).toContain(described.State);
      expect(described.Destination).toEqual({ Arn: source.arn });
    },
  },
  {
    name: 'DescribeReplay and CancelReplay of a missing replay fail with ResourceNotFoundException',
    source: `${API}/API_DescribeReplay.html#API_DescribeReplay_Errors`,
    run: async (t) => {
      const name = t.uniqueName('ghost');
      const expected = { name: 'ResourceNotFoundException', message: `Replay ${name} does not exist.` };
      expect(
        await failure(t.eventBridge.send(new DescribeReplayCommand({ ReplayName: name }))),
      ).toMatchObject(expected);
      expect(await failure(t.eventBridge.send(new CancelReplayCommand({ ReplayName: name })))).toMatchObject(
        expected,
      );
    },
  },
];

describe('EventBridge API: archives and replays', () => {
  conformanceCases([...archiveCases, ...replayCases], () => target, { concurrent: true });
});
