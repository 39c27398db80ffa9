/**
 * The environment of every S3 test: s3rver's own credentials, a region, and nothing that could
 * reach beyond 127.0.0.1 (the instance metadata service is never asked, and no shared config or
 * credentials file of the machine is read). The endpoint is set per test.
 */
export const S3_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/imgguard-test-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/imgguard-test-credentials',
};
