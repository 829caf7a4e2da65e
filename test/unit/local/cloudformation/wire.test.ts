// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates
import { describe, expect, it } from 'vitest';
import { objectOfTemplateUrl } from '../../../../packages/local-cloud/src/cloud/cloudformation-target';
import {
  decodeQueryParams,
  queryResultXml,
} from '../../../../packages/local-cloud/src/cloudformation/query-codec';
import {
  decodeAwsChunked,
  s3Address,
  s3Operation,
} from '../../../../packages/local-cloud/src/cloudformation/s3';
import { parseTemplateBody } from '../../../../packages/local-cloud/src/cloudformation/template-format';

/** The wire formats CloudFormation, S3 and the CDK CLI use, as the local cloud reads and writes them. */

describe('the query protocol of CloudFormation and STS', () => {
  it('decodes member lists and nested structures, dropping Action and Version', () => {
    const params = new Map([
      ['Action', 'CreateChangeSet'],
      ['Version', '2010-05-15'],
      ['StackName', 'Shelf'],
      ['Parameters.member.2.ParameterKey', 'B'],
      ['Parameters.member.1.ParameterKey', 'A'],
      ['Parameters.member.1.ParameterValue', '1'],
      ['Parameters.member.2.UsePreviousValue', 'true'],
      ['Capabilities.member.1', 'CAPABILITY_IAM'],
    ]);
    expect(decodeQueryParams(params)).toEqual({
      StackName: 'Shelf',
      Parameters: [
        { ParameterKey: 'A', ParameterValue: '1' },
        { ParameterKey: 'B', UsePreviousValue: 'true' },
      ],
      Capabilities: ['CAPABILITY_IAM'],
    });
  });

  it('encodes lists as member elements, dates as ISO time, and escapes text', () => {
    const xml = queryResultXml('DescribeStacks', 'urn:x', 'r-1', {
      Stacks: [{ StackName: 'a<b', CreationTime: new Date(0), Outputs: [] }],
    });
    expect(xml).toContain(
      '<DescribeStacksResult><Stacks><member><StackName>a&#60;b</StackName><CreationTime>1970-01-01T00:00:00.000Z</CreationTime><Outputs></Outputs></member></Stacks></DescribeStacksResult>',
    );
    expect(xml).toContain('<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>');
  });
});

describe('S3 as CDK publishes assets', () => {
  it('decodes aws-chunked bodies, signed or with checksum trailers', () => {
    const body = Buffer.from(
      '5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n',
    );
    expect(decodeAwsChunked(body).toString()).toBe('hello world');
  });

  it('reads path-style addresses off an IP, virtual-hosted ones off a name', () => {
    expect(s3Address({ url: '/bucket/a/b%20c.zip?x=1', headers: { host: '127.0.0.1:4566' } })).toMatchObject({
      bucket: 'bucket',
      key: 'a/b c.zip',
    });
    expect(s3Address({ url: '/a.zip', headers: { host: 'bucket.localhost:4566' } })).toMatchObject({
      bucket: 'bucket',
      key: 'a.zip',
    });
  });

  it('names the operation of a request', () => {
    const q = (text: string) => new URLSearchParams(text);
    expect(s3Operation('GET', 'b', '', q('list-type=2&prefix=x'))).toBe('ListObjectsV2');
    expect(s3Operation('GET', 'b', '', q('location'))).toBe('GetBucketLocation');
    expect(s3Operation('PUT', 'b', 'k', q(''))).toBe('PutObject');
    expect(s3Operation('POST', 'b', '', q('delete'))).toBe('DeleteObjects');
  });

  it('finds the object a TemplateURL names, in every form CloudFormation takes', () => {
    const object = { bucket: 'cdk-assets', key: 'abc.json' };
    expect(objectOfTemplateUrl('https://s3.us-east-1.amazonaws.com/cdk-assets/abc.json')).toEqual(object);
    expect(objectOfTemplateUrl('https://cdk-assets.s3.us-east-1.amazonaws.com/abc.json')).toEqual(object);
    expect(objectOfTemplateUrl('http://127.0.0.1:4566/cdk-assets/abc.json')).toEqual(object);
  });
});

describe('template bodies', () => {
  it('reads JSON, and YAML with the short-form intrinsics', () => {
    expect(parseTemplateBody('{"Resources":{}}')).toEqual({ Resources: {} });
    const yaml = [
      'Resources:',
      '  Queue:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      QueueName: !Sub "${AWS::StackName}-q"',
      'Outputs:',
      '  Arn:',
      '    Value: !GetAtt Queue.Arn',
      '  Joined:',
      '    Value: !Join [",", [!Ref Queue, b]]',
    ].join('\n');
    expect(parseTemplateBody(yaml)).toEqual({
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${AWS::StackName}-q' } } },
      },
      Outputs: {
        Arn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
        Joined: { Value: { 'Fn::Join': [',', [{ Ref: 'Queue' }, 'b']] } },
      },
    });
  });
});
