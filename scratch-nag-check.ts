import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
const app = new App();
const s = new Stack(app, 'S');
new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.UNENCRYPTED });
console.log(JSON.stringify(new AwsSolutionsChecks().validateScope(s), null, 1).slice(0, 1500));
