/**
 * The parts of the SES SDK the functions use, for `import()` (./ses.ts, onboarding/mailer.ts). esbuild
 * keeps every export of a module loaded with `import()`: importing the package itself would bundle all of
 * SES v2's commands and models (~40 KiB more); named re-exports keep only these.
 */
export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
