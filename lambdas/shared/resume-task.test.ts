import { afterEach, describe, expect, it, vi } from 'vitest';
import { resumeTask } from './resume-task';
import { sfn } from './sfn';

const failWith = (name: string) => {
  const error = new Error(name);
  error.name = name;
  return error;
};

describe('resumeTask', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends the output as JSON and answers resumed', async () => {
    const send = vi.spyOn(sfn, 'send').mockResolvedValue({} as never);
    expect(await resumeTask('token-1', { decision: 'approve' })).toBe('resumed');
    const command = send.mock.calls[0]?.[0] as unknown as { input: { taskToken: string; output: string } };
    expect(command.input).toEqual({ taskToken: 'token-1', output: '{"decision":"approve"}' });
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'])(
    'answers closed on %s, so nobody is asked to retry for ever',
    async (name) => {
      vi.spyOn(sfn, 'send').mockRejectedValue(failWith(name) as never);
      expect(await resumeTask('token-1', {})).toBe('closed');
    },
  );

  it('throws any other failure, so the caller keeps what it needs to retry', async () => {
    vi.spyOn(sfn, 'send').mockRejectedValue(failWith('ThrottlingException') as never);
    await expect(resumeTask('token-1', {})).rejects.toThrow('ThrottlingException');
  });
});
